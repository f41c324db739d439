// Attack: detail keys named like Object.prototype members ("constructor", "toString", …). Code that
// looks a key up without an own-property check reads a built-in function instead of "no such key";
// summarising such a function for the ticket note used to throw, so the decision answered 500 and
// the request stayed pending. With ticket notes configured, every member name, on both paths:
//   A. a decision whose modifiedDetails adds a key named like a member;
//   B. details that carry such a key, approved with changes that leave it out.
// Each must answer 200, and the callback and the ticket note must say exactly what changed.
import { beforeAll, describe, expect, it } from 'vitest';
import { CallbackBody, CountersignClient } from '@countersign/shared';
import { seed000Filled } from '../support/seeds';
import { withReceiver, withServerAndReceiver } from '../support/server-and-receiver';
import { call, reviewer } from '../support/test-server';
import { zendeskWorkspace } from '../support/zendesk-workspace';

// "__proto__" is refused by the body reader (400 forbidden_key) and is tested separately below.
const MEMBER_NAMES = Object.getOwnPropertyNames(Object.prototype).filter((name) => name !== '__proto__');

describe('detail keys named like Object.prototype members, with Zendesk ticket notes configured', () => {
  /** Zendesk's API, where the ticket notes are written; declared first, so it stops after the server. */
  const fakeZendesk = withReceiver();
  const { server, receiver } = withServerAndReceiver();
  let intake: CountersignClient;
  let intakeKey: string;
  let reviewKey: string;
  let nextTicket = 3000;

  beforeAll(async () => {
    const connected = await zendeskWorkspace(server, 'acme-proto', { baseUrl: fakeZendesk.url });
    intakeKey = connected.intakeKey;
    intake = new CountersignClient({ baseUrl: server.url, intakeKey });
    reviewKey = (await server.app.workspaces.issueKey(connected.workspace, 'review', { reviewer: { kind: 'delegating' } })).key;
  });

  const decide = (approvalId: string, body: string) =>
    call(`${server.url}/api/approvals/${approvalId}/decision`, { headers: { authorization: `Bearer ${reviewKey}`, 'content-type': 'application/json' }, body });

  async function noteFor(ticketId: string): Promise<string> {
    const path = `/api/v2/tickets/${ticketId}.json`;
    await fakeZendesk.waitFor((all) => all.some((r) => r.path === path));
    const note = fakeZendesk.received.find((r) => r.path === path)!;
    return (note.json.ticket as { comment: { body: string } }).comment.body;
  }

  async function callbackFor(approvalId: string): Promise<CallbackBody> {
    await receiver.waitFor(() => receiver.for(approvalId).length > 0);
    return CallbackBody.parse(receiver.for(approvalId)[0]!.json);
  }

  async function create(details: Record<string, unknown>, metadata?: Record<string, unknown>) {
    const ticketId = String(nextTicket++);
    const base = seed000Filled(ticketId, `${receiver.url}/cb`);
    const body = JSON.stringify({ ...base, details: { ...base.details, ...details }, ...(metadata ? { metadata } : {}) });
    const created = await call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': intakeKey, 'content-type': 'application/json' }, body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return { ticketId, approvalId: created.body.approvalId as string, details: created.body.details as Record<string, unknown> };
  }

  it.each(MEMBER_NAMES)('A: approving with modifiedDetails {"%s": "x"} answers 200, and the note and callback name that key', async (name) => {
    const { ticketId, approvalId, details } = await create({});
    const decided = await decide(approvalId, `{"decision":"approve","reviewer":${JSON.stringify(reviewer)},"modifiedDetails":{${JSON.stringify(name)}:"x"}}`);
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(decided.body.status).toBe('approved');

    const callback = await callbackFor(approvalId);
    expect(callback.status).toBe('APPROVED');
    expect(Object.keys(callback.modifiedDetails!)).toEqual([...Object.keys(details), name]);
    expect(callback.modifiedDetails![name]).toBe('x');
    expect(callback.modifiedDetails!.ticketId).toBe(ticketId);

    const note = await noteFor(ticketId);
    expect(note).toContain(`- ${name}: (none) → "x"`);
    expect(note.match(/^- /gm)).toHaveLength(1);
  });

  it.each(MEMBER_NAMES)('B: details with a "%s" key, approved with a change that leaves it out, answer 200 and keep it', async (name) => {
    const { ticketId, approvalId } = await create({ [name]: 'kept' }, { [name]: 'meta' });
    const decided = await decide(approvalId, `{"decision":"approve","reviewer":${JSON.stringify(reviewer)},"modifiedDetails":{"amount":"25.00"}}`);
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);

    const callback = await callbackFor(approvalId);
    expect(callback.modifiedDetails).toMatchObject({ ticketId, amount: '25.00', [name]: 'kept' });
    expect(callback.details[name]).toBe('kept');

    const note = await noteFor(ticketId);
    expect(note).toContain('- amount: "49.00" → "25.00"');
    expect(note.match(/^- /gm)).toHaveLength(1);
  });

  it('a literal "__proto__" key is refused with 400 forbidden_key, and the request stays pending', async () => {
    const { approvalId } = await create({});
    const refused = await decide(approvalId, `{"decision":"approve","reviewer":${JSON.stringify(reviewer)},"modifiedDetails":{"__proto__":{"polluted":"yes"}}}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('forbidden_key');
    expect((await intake.getApproval(approvalId)).status).toBe('pending');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
