import { beforeAll, describe, expect, it } from 'vitest';
import { CountersignClient } from '@countersign/shared';
import type { RecordedAttempt } from '../../support/audit-trail';
import { seed000Filled } from '../../support/seeds';
import { withServerAndReceiver } from '../../support/server-and-receiver';
import { reviewer, REVIEW_KEY } from '../../support/test-server';
import { ZENDESK_EMAIL, ZENDESK_TOKEN, zendeskWorkspace, type ZendeskWorkspace } from '../../support/zendesk-workspace';

describe('internal notes on Zendesk tickets', () => {
  // The receiver stands for Zendesk's API, where the notes are written.
  const { server, receiver: fakeZendesk } = withServerAndReceiver({ env: { COUNTERSIGN_RETRY_SCHEDULE: '200ms,200ms' } });
  let connected: ZendeskWorkspace;
  let intake: CountersignClient;
  let review: CountersignClient;

  beforeAll(async () => {
    connected = await zendeskWorkspace(server, 'acme', { baseUrl: fakeZendesk.url });
    intake = new CountersignClient({ baseUrl: server.url, intakeKey: connected.intakeKey });
    const { key } = await server.app.workspaces.issueKey(connected.workspace, 'review', { reviewer: { kind: 'delegating' } });
    review = new CountersignClient({ baseUrl: server.url, reviewKey: key });
  });

  /** The note's delivery attempts, once `count` are recorded (callback attempts are recorded alongside). */
  async function noteAttempts(approvalId: string, count: number): Promise<RecordedAttempt[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { items } = await intake.listEvents(approvalId);
      const attempts = items.filter((e) => e.type === 'delivery.attempt' && e.data.kind === 'zendesk_note').map((e) => ({ ...e.data, at: Date.parse(e.at) }));
      if (attempts.length >= count) return attempts;
      if (Date.now() > deadline) throw new Error(`fewer than ${count} note attempts within 15 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  const notesFor = (ticketId: string) => fakeZendesk.received.filter((r) => r.path === `/api/v2/tickets/${ticketId}.json`);
  const waitForNotes = (ticketId: string, count = 1) => fakeZendesk.waitFor(() => notesFor(ticketId).length >= count).then(() => notesFor(ticketId));

  it('writes who approved, the note and the changed details as an internal note, authenticated with the API token', async () => {
    const { approval } = await intake.createApproval(seed000Filled('1001', 'https://automation.example/cb'));
    const modifiedDetails = { ...approval.details, amount: '25.00' };
    await review.decide(approval.approvalId, { decision: 'approve', modifiedDetails, note: 'Refund the duplicate only', reviewer: { id: '7', name: 'Ana Reviewer', email: 'ana@acme.example', via: 'api' } });

    const [note] = await waitForNotes('1001');
    expect(note!.method).toBe('PUT');
    expect(note!.headers.authorization).toBe(`Basic ${Buffer.from(`${ZENDESK_EMAIL}/token:${ZENDESK_TOKEN}`).toString('base64')}`);
    expect(note!.headers['content-type']).toBe('application/json');
    const comment = note!.json.ticket as { comment: { body: string; public: boolean } };
    expect(comment.comment.public).toBe(false);
    expect(comment.comment.body).toContain('Approved by Ana Reviewer (ana@acme.example) via the API');
    expect(comment.comment.body).toContain('Note: Refund the duplicate only');
    expect(comment.comment.body).toContain('- amount: "49.00" → "25.00"');
    expect(comment.comment.body).toContain(approval.approvalId);

    const [attempt] = await noteAttempts(approval.approvalId, 1);
    expect(attempt).toMatchObject({ outcome: 'delivered', statusCode: 200, target: `${fakeZendesk.url}/api/v2/tickets/1001.json` });
  });

  it('strips bidi controls from everything the note repeats from the request', async () => {
    const spoof = '\u2067acct moc.live@\u202Eenaj\u2069\u200f';
    const base = seed000Filled('1010', 'https://automation.example/cb');
    const { approval } = await intake.createApproval({ ...base, action: `refund${spoof}`, summary: `Summary ${spoof}`, details: { ...base.details, [`to${spoof}`]: 'a@example.com' } });
    await review.decide(approval.approvalId, { decision: 'approve', note: `Note ${spoof}`, modifiedDetails: { [`to${spoof}`]: spoof }, reviewer: { id: '7', name: `Ana ${spoof}`, via: 'api' } });
    const body = bodyOf((await waitForNotes('1010'))[0]!);
    expect(body).toContain('Approved by Ana acct moc.live@enaj via the API');
    expect(body).toContain('- toacct moc.live@enaj: "a@example.com" → "acct moc.live@enaj"');
    expect(body).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
  });

  it('notes rejections, cancellations and expiries too', async () => {
    const rejected = (await intake.createApproval(seed000Filled('1002', 'https://automation.example/cb'))).approval;
    await review.decide(rejected.approvalId, { decision: 'reject', note: 'Contract customer', reviewer });
    const cancelled = (await intake.createApproval(seed000Filled('1003', 'https://automation.example/cb'))).approval;
    await intake.cancelApproval(cancelled.approvalId, { reason: 'Customer changed their mind' });
    await intake.createApproval({ ...seed000Filled('1004', 'https://automation.example/cb'), expiresInSeconds: 1 });

    expect(bodyOf((await waitForNotes('1002'))[0]!)).toContain('Rejected by Ana Reviewer');
    expect(bodyOf((await waitForNotes('1002'))[0]!)).toContain('Note: Contract customer');
    expect(bodyOf((await waitForNotes('1003'))[0]!)).toContain('Withdrawn by the requester');
    expect(bodyOf((await waitForNotes('1003'))[0]!)).toContain('Customer changed their mind');
    expect(bodyOf((await waitForNotes('1004'))[0]!)).toContain('Expired on');
  });

  it('retries a failing Zendesk on the schedule and gives up at once on a deleted ticket', async () => {
    fakeZendesk.reply({ status: 500 });
    const retried = (await intake.createApproval(seed000Filled('1005', 'https://automation.example/cb'))).approval;
    await review.decide(retried.approvalId, { decision: 'approve', reviewer });
    await waitForNotes('1005', 2);
    const attempts = await noteAttempts(retried.approvalId, 2);
    expect(attempts.map((a) => a.outcome)).toEqual(['retrying', 'delivered']);

    fakeZendesk.reply({ status: 404 });
    const gone = (await intake.createApproval(seed000Filled('1006', 'https://automation.example/cb'))).approval;
    await review.decide(gone.approvalId, { decision: 'approve', reviewer });
    expect(await noteAttempts(gone.approvalId, 1)).toEqual([expect.objectContaining({ outcome: 'gave_up', statusCode: 404 })]);
  });

  it('writes nothing for requests without a Zendesk ticket, or in workspaces without credentials', async () => {
    const noTicket = (await intake.createApproval({ action: 'bulk_email', summary: 'Newsletter', details: { audience: 'all' } })).approval;
    await review.decide(noTicket.approvalId, { decision: 'approve', reviewer });
    const other = (await server.intake.createApproval(seed000Filled('1007', 'https://automation.example/cb'))).approval;
    await new CountersignClient({ baseUrl: server.url, reviewKey: REVIEW_KEY }).decide(other.approvalId, { decision: 'approve', reviewer });

    const deliveries = [
      ...(await server.app.store.outbox.list(connected.workspace.id, noTicket.approvalId)),
      ...(await server.app.store.outbox.list((await server.app.store.workspaces.findByName('default'))!.id, other.approvalId)),
    ];
    expect(deliveries.filter((d) => d.kind === 'zendesk_note')).toEqual([]);
    expect(notesFor('1007')).toEqual([]);
  });

  it('never sends the token once the credentials are removed', async () => {
    // Retry-After keeps the retry well clear of the credential change, even on a slow machine.
    fakeZendesk.reply({ status: 503, headers: { 'retry-after': '2' } });
    const pending = (await intake.createApproval(seed000Filled('1008', 'https://automation.example/cb'))).approval;
    await review.decide(pending.approvalId, { decision: 'approve', reviewer });
    await waitForNotes('1008', 1);
    const current = (await server.app.store.workspaces.get(connected.workspace.id))!;
    await connected.zendesk.clearCredentials(current);
    const attempts = await noteAttempts(pending.approvalId, 2);
    expect(attempts.map((a) => a.outcome)).toEqual(['retrying', 'gave_up']);
    expect(attempts[1]!.error).toBe('the workspace no longer has Zendesk credentials');
    expect(notesFor('1008')).toHaveLength(1);
  });
});

function bodyOf(received: { json: Record<string, unknown> }): string {
  return (received.json.ticket as { comment: { body: string } }).comment.body;
}
