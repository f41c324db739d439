// An AI agent's side of MCP for the tests: the official SDK's own Client over Streamable HTTP (POST
// /mcp with an intake key) or stdio (`npm run mcp` as a child process), and the reviewer who decides
// while a tool call waits.
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ApprovalView, DecisionInput } from '@countersign/shared';
import type { TestServer } from './test-server';
import { reviewer } from './test-server';

const ROOT = path.resolve(__dirname, '../..');

export async function httpAgent(serverUrl: string, intakeKey: string): Promise<Client> {
  const client = new Client({ name: 'countersign-test-agent', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${serverUrl}/mcp`), { requestInit: { headers: { authorization: `Bearer ${intakeKey}` } } });
  await client.connect(transport);
  return client;
}

/** `npm run --silent mcp`, as an MCP client configuration starts it (see docs/integrations.md). */
export async function stdioAgent(serverUrl: string, intakeKey: string, stderr: string[] = []): Promise<Client> {
  const client = new Client({ name: 'countersign-test-agent', version: '1.0.0' });
  const transport = new StdioClientTransport({
    command: 'npm',
    args: ['--silent', '--prefix', ROOT, 'run', 'mcp'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', COUNTERSIGN_URL: serverUrl, COUNTERSIGN_INTAKE_KEY: intakeKey },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  await client.connect(transport);
  return client;
}

export interface ToolAnswer {
  isError: boolean;
  text: string;
  structured: Record<string, any> | undefined;
}

export async function callTool(client: Client, name: string, args: Record<string, unknown>): Promise<ToolAnswer> {
  // Longer than the tool's longest wait (50 s) on a slow machine.
  const result = (await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })) as CallToolResult;
  const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
  return { isError: result.isError === true, text, structured: result.structuredContent as Record<string, any> | undefined };
}

/** The pending request with this summary, once the reviewers' list shows it. */
export async function pendingBySummary(server: TestServer, summary: string, timeoutMs = 20_000): Promise<ApprovalView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = await server.review.listApprovals({ status: 'pending', limit: 20 });
    const found = page.items.find((item) => item.summary === summary);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no pending request "${summary}" appeared`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A reviewer decides the request with this summary as soon as it shows up. */
export async function decideWhenPending(server: TestServer, summary: string, decision: Omit<DecisionInput, 'reviewer'>): Promise<ApprovalView> {
  const pending = await pendingBySummary(server, summary);
  return server.review.decide(pending.approvalId, { ...decision, reviewer });
}
