// The MCP server over Streamable HTTP (POST /mcp), driven by the official SDK's Client with an intake
// key: tools and their schemas, a reviewer approving while request_approval waits, pending after the
// wait then rejected with a note, bad input as a tool error, the key's scope (401, 403, own requests
// only, a Zendesk-signing workspace refused), and no sessions (GET and DELETE are 405).
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callTool, decideWhenPending, httpAgent } from '../../support/mcp-agent';
import { call, INTAKE_KEY, REVIEW_KEY, reviewer, startTestServer, type TestServer } from '../../support/test-server';
import { ZENDESK_SIGNING_SECRET, zendeskWorkspace } from '../../support/zendesk-workspace';

const refund = (summary: string, waitSeconds: number) => ({
  action: 'process_refund',
  summary,
  details: { ticketId: '4512', amount: '49.00', requester: 'jane@example.com' },
  riskLevel: 'high',
  justification: 'Two identical charges on 12 Nov.',
  waitSeconds,
});

describe('MCP over Streamable HTTP', () => {
  let server: TestServer;
  let agent: Client;

  beforeAll(async () => {
    server = await startTestServer();
    agent = await httpAgent(server.url, INTAKE_KEY);
  });
  afterAll(async () => {
    await agent?.close();
    await server?.close();
  });

  it('offers request_approval and get_approval, with input schemas from the intake schema, and nothing that decides', async () => {
    const { tools } = await agent.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['get_approval', 'request_approval']);
    const request = tools.find((t) => t.name === 'request_approval')!;
    expect(request.inputSchema.required).toEqual(expect.arrayContaining(['action', 'summary', 'details']));
    const properties = request.inputSchema.properties as Record<string, any>;
    expect(Object.keys(properties).sort()).toEqual(['action', 'details', 'justification', 'riskLevel', 'summary', 'waitSeconds']);
    expect(properties.details.type).toBe('object');
    expect(properties.action).toMatchObject({ type: 'string', minLength: 1, maxLength: 200 });
    expect(JSON.stringify(properties.riskLevel)).toContain('"critical"');
    expect(tools.find((t) => t.name === 'get_approval')!.inputSchema.required).toEqual(['approvalId']);
  });

  it('answers approved, with the reviewer\'s edits, when a reviewer approves while request_approval waits', async () => {
    const summary = 'Refund 49.00 to jane@example.com (MCP over HTTP, approved while waiting)';
    const answering = callTool(agent, 'request_approval', refund(summary, 40));
    await decideWhenPending(server, summary, { decision: 'approve', modifiedDetails: { amount: '25.00' }, note: 'Half: one charge was a pre-authorisation.' });
    const answer = await answering;
    expect(answer.isError).toBe(false);
    expect(answer.structured).toMatchObject({
      status: 'approved',
      action: 'process_refund',
      modifiedDetails: { ticketId: '4512', amount: '25.00', requester: 'jane@example.com' },
      decisionNote: 'Half: one charge was a pre-authorisation.',
      decidedBy: { id: reviewer.id, name: reviewer.name, via: 'api' },
    });
    expect(answer.text).toContain('APPROVED by Ana Reviewer');
    expect(answer.text).toContain('Proceed with process_refund using exactly these details, as the reviewer edited them: {"ticketId":"4512","amount":"25.00"');
    const stored = await server.intake.getApproval(answer.structured!.approvalId);
    expect(stored.status).toBe('approved');
  });

  it('answers pending after waitSeconds, then get_approval tells of the rejection and its note', async () => {
    const summary = 'Refund 49.00 (MCP over HTTP, nobody decides in time)';
    const pending = await callTool(agent, 'request_approval', refund(summary, 1));
    expect(pending.structured).toMatchObject({ status: 'pending', modifiedDetails: null, decisionNote: null });
    const id = pending.structured!.approvalId as string;
    expect(pending.text).toContain('Tell the user a teammate will review the request');
    expect(pending.text).toContain(`call get_approval with approvalId "${id}"`);
    await server.review.decide(id, { decision: 'reject', note: 'Customer is in a long-term contract; escalate to retention team.', reviewer });
    const rejected = await callTool(agent, 'get_approval', { approvalId: id });
    expect(rejected.structured).toMatchObject({ approvalId: id, status: 'rejected', decisionNote: 'Customer is in a long-term contract; escalate to retention team.' });
    expect(rejected.text).toContain('REJECTED by Ana Reviewer');
    expect(rejected.text).toContain('Do not process_refund');
    expect(rejected.text).toContain('"Customer is in a long-term contract; escalate to retention team."');
  });

  it('answers bad input with a tool error, creates nothing, and keeps serving', async () => {
    const before = (await server.review.listApprovals({ limit: 100 })).items.length;
    const missing = await callTool(agent, 'request_approval', { action: 'process_refund', summary: 'No details' });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/details/);
    const notObject = await callTool(agent, 'request_approval', { action: 'process_refund', summary: 'Details as text', details: 'refund it' });
    expect(notObject.isError).toBe(true);
    expect(notObject.text).toContain('details must be a JSON object');
    // Beyond 2^53: JSON cannot carry it exactly, so intake refuses it (422 over REST).
    const inexact = await callTool(agent, 'request_approval', { action: 'process_refund', summary: 'Inexact number', details: { amount: 2 ** 60 }, waitSeconds: 0 });
    expect(inexact.isError).toBe(true);
    expect(inexact.text).toContain('cannot be carried exactly by JSON');
    const unknown = await callTool(agent, 'get_approval', { approvalId: 'apr_nonexistent' });
    expect(unknown).toMatchObject({ isError: true });
    expect(unknown.text).toContain('approval_not_found');
    expect((await server.review.listApprovals({ limit: 100 })).items.length).toBe(before);
    expect((await agent.listTools()).tools).toHaveLength(2);
  });

  it('sees only its own requests: another intake key of the workspace gets not found', async () => {
    const created = await callTool(agent, 'request_approval', refund('Refund (MCP, mine only)', 0));
    const home = (await server.app.workspaces.byName('default'))!;
    const sibling = await httpAgent(server.url, (await server.app.workspaces.issueKey(home, 'intake', { label: 'another agent' })).key);
    try {
      const theirs = await callTool(sibling, 'get_approval', { approvalId: created.structured!.approvalId });
      expect(theirs.isError).toBe(true);
      expect(theirs.text).toContain('approval_not_found');
    } finally {
      await sibling.close();
    }
  });

  it('refuses a workspace that takes only Zendesk-signed intake: an MCP call carries no signature', async () => {
    const zendesk = await zendeskWorkspace(server, 'zendesk-signed-mcp', { signingSecret: ZENDESK_SIGNING_SECRET });
    const signedOnly = await httpAgent(server.url, zendesk.intakeKey);
    try {
      const refused = await callTool(signedOnly, 'request_approval', refund('Refund (MCP, unsigned)', 0));
      expect(refused.isError).toBe(true);
      expect(refused.text).toContain('zendesk_signature_missing');
      expect(await server.app.store.approvals.list(zendesk.workspace.id, {}, 10)).toHaveLength(0);
    } finally {
      await signedOnly.close();
    }
  });

  it('answers 401 to a wrong key and 403 to a review key, before any MCP message is read', async () => {
    await expect(httpAgent(server.url, 'cs_live_notARealKey0000000000000000000000000')).rejects.toMatchObject({ code: 401, message: expect.stringContaining('invalid_credentials') });
    const ping = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
    const wrong = await call(`${server.url}/mcp`, { headers: { authorization: 'Bearer cs_live_wrong', 'content-type': 'application/json' }, body: ping });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    const none = await call(`${server.url}/mcp`, { headers: { 'content-type': 'application/json' }, body: ping });
    expect(none.status).toBe(401);
    const review = await call(`${server.url}/mcp`, { headers: { authorization: `Bearer ${REVIEW_KEY}`, 'content-type': 'application/json' }, body: ping });
    expect(review.status).toBe(403);
    expect(review.body.error.code).toBe('wrong_key_scope');
  });

  it('answers a plain JSON-RPC call without an Accept header (curl), and 405 to GET and DELETE', async () => {
    const ping = await call(`${server.url}/mcp`, { headers: { 'x-api-key': INTAKE_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'ping' }) });
    expect(ping).toMatchObject({ status: 200, body: { jsonrpc: '2.0', id: 7, result: {} } });
    expect(ping.headers.get('cache-control')).toBe('no-store');
    for (const method of ['GET', 'DELETE']) {
      const answer = await call(`${server.url}/mcp`, { method, headers: { 'x-api-key': INTAKE_KEY } });
      expect(answer.status, method).toBe(405);
      expect(answer.headers.get('allow')).toBe('POST');
    }
  });
});
