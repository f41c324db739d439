// `npm run mcp`: the MCP server over stdio for a local agent (Claude Desktop, Cursor…), talking to a
// Countersign over HTTP with the typed client and an intake key. stdout carries the protocol only.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CountersignClient } from '@countersign/shared';
import { clientDesk } from './approval-desk';
import { createMcpServer } from './approval-tools';

export class McpConfigError extends Error {}

export function stdioClient(env: NodeJS.ProcessEnv): CountersignClient {
  const url = env.COUNTERSIGN_URL?.trim();
  const intakeKey = env.COUNTERSIGN_INTAKE_KEY?.trim();
  if (!url || !/^https?:\/\/[^\s]+$/i.test(url)) throw new McpConfigError('Set COUNTERSIGN_URL to the Countersign server (e.g. http://localhost:8080).');
  if (!intakeKey) throw new McpConfigError('Set COUNTERSIGN_INTAKE_KEY to an intake key (cs_live_…); an intake key can ask, never decide.');
  return new CountersignClient({ baseUrl: url, intakeKey });
}

export async function runMcpStdio(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const server = createMcpServer(clientDesk(stdioClient(env)));
  await server.connect(new StdioServerTransport());
  // The client ends the session by closing our stdin.
  process.stdin.once('end', () => void server.close().finally(() => process.exit(0)));
}
