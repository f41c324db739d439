// The MCP server over stdio: `npm run --silent mcp` as a child process (as an MCP client's
// configuration starts it), talking to a real Countersign over HTTP with the typed client, driven by
// the official SDK's Client. A reviewer approves while request_approval waits; a rejection with a
// note; a wrong key as a tool error; missing configuration as a clear exit.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callTool, decideWhenPending, stdioAgent } from '../../support/mcp-agent';
import { INTAKE_KEY, reviewer, startTestServer, type TestServer } from '../../support/test-server';

const ROOT = path.resolve(__dirname, '../../..');
const run = promisify(execFile);

describe('MCP over stdio (npm run mcp)', () => {
  let server: TestServer;
  let agent: Client;
  const stderr: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    agent = await stdioAgent(server.url, INTAKE_KEY, stderr);
  });
  afterAll(async () => {
    await agent?.close();
    await server?.close();
  });

  it('answers approved when a reviewer approves while request_approval waits', async () => {
    const summary = 'Cancel Premium for sub_5521 (MCP over stdio, approved while waiting)';
    const answering = callTool(agent, 'request_approval', {
      action: 'cancel_subscription',
      summary,
      details: { ticket_id: '9921', subscription_id: 'sub_5521' },
      justification: 'User explicitly asked to cancel after being offered a discount.',
      waitSeconds: 40,
    });
    await decideWhenPending(server, summary, { decision: 'approve', note: 'Confirmed with the customer.' });
    const answer = await answering;
    expect(answer.isError, answer.text).toBe(false);
    expect(answer.structured).toMatchObject({ status: 'approved', action: 'cancel_subscription', modifiedDetails: null, decisionNote: 'Confirmed with the customer.', decidedBy: { name: reviewer.name } });
    expect(answer.text).toContain('Proceed with cancel_subscription using exactly these details: {"ticket_id":"9921","subscription_id":"sub_5521"}');
    // Created over HTTP with the intake key: the request is that key's own.
    expect((await server.intake.getApproval(answer.structured!.approvalId)).status).toBe('approved');
  });

  it('answers rejected with the reviewer\'s note, and get_approval says the same', async () => {
    const summary = 'Cancel Premium (MCP over stdio, rejected)';
    const answering = callTool(agent, 'request_approval', { action: 'cancel_subscription', summary, details: { subscription_id: 'sub_7' }, riskLevel: 'HIGH', waitSeconds: 40 });
    await decideWhenPending(server, summary, { decision: 'reject', note: 'Customer is in a long-term contract; escalate to retention team.' });
    const answer = await answering;
    expect(answer.structured).toMatchObject({ status: 'rejected', decisionNote: 'Customer is in a long-term contract; escalate to retention team.' });
    expect(answer.text).toContain('Do not cancel_subscription');
    const again = await callTool(agent, 'get_approval', { approvalId: answer.structured!.approvalId });
    expect(again.structured).toMatchObject({ status: 'rejected' });
    expect((await server.intake.getApproval(answer.structured!.approvalId)).riskLevel).toBe('high');
  });

  it('answers a wrong key with a tool error naming the refusal, and keeps running', async () => {
    const wrong = await stdioAgent(server.url, 'cs_live_notARealKey0000000000000000000000000');
    try {
      const refused = await callTool(wrong, 'request_approval', { action: 'process_refund', summary: 'Wrong key', details: { amount: '1.00' }, waitSeconds: 0 });
      expect(refused.isError).toBe(true);
      expect(refused.text).toContain('invalid_credentials');
      expect((await wrong.listTools()).tools).toHaveLength(2);
    } finally {
      await wrong.close();
    }
  });

  it('exits 1 with a clear message when COUNTERSIGN_URL or COUNTERSIGN_INTAKE_KEY is missing', async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
    for (const [missing, extra] of [['COUNTERSIGN_URL', { COUNTERSIGN_INTAKE_KEY: INTAKE_KEY }], ['COUNTERSIGN_INTAKE_KEY', { COUNTERSIGN_URL: server.url }]] as const) {
      const failed = await run('npm', ['--silent', '--prefix', ROOT, 'run', 'mcp'], { env: { ...env, ...extra } }).catch((error: { code: number; stdout: string; stderr: string }) => error);
      expect(failed, missing).toMatchObject({ code: 1, stdout: '' });
      expect((failed as { stderr: string }).stderr).toContain(`Set ${missing}`);
    }
  });

  it('logs no error on stderr while serving (stdout carried the protocol alone, or the SDK client would have failed)', () => {
    expect(stderr.join('')).not.toMatch(/error/i);
  });
});
