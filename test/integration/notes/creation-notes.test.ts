// The workspace setting that writes an internal note on the Zendesk ticket or Intercom conversation as
// soon as a request on it needs a human (issue 12 part 6), against a real server, the fake Intercom
// API and a receiver standing for Zendesk's API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntercomSettings } from '@countersign/server/integrations/intercom';
import { ZendeskSettings } from '@countersign/server/integrations/zendesk';
import { setNotesOnCreation } from '@countersign/server/workspaces';
import { deliveryAttempts } from '../../support/audit-trail';
import { FakeIntercom } from '../../support/fake-intercom';
import { seed000Filled, seed000IntercomRelay } from '../../support/seeds';
import { withServerAndReceiver } from '../../support/server-and-receiver';
import { call, reviewer } from '../../support/test-server';

const NEEDED = 'Countersign: approval needed for';

describe('notes on new requests', () => {
  const fakeIntercom = new FakeIntercom();
  beforeAll(async () => {
    await fakeIntercom.start();
  });
  afterAll(async () => {
    await fakeIntercom.stop();
  });
  // The receiver stands for Zendesk's API (notes) and for the automation (callbacks, on /cb).
  const { server, receiver: fakeZendesk } = withServerAndReceiver(() => ({ env: { COUNTERSIGN_RETRY_SCHEDULE: '300ms,1s,2s,5s,10s', INTERCOM_API_URL: fakeIntercom.url } }));

  const workspace = () => server.app.workspaces.byName('default');
  const setting = async (platform: 'zendesk' | 'intercom', on: boolean) => setNotesOnCreation(server.app.workspaces, await workspace(), platform, on);
  const ticketNotes = (ticketId: string) => fakeZendesk.received.filter((r) => r.path === `/api/v2/tickets/${ticketId}.json`).map((r) => (r.json.ticket as { comment: Record<string, unknown> }).comment);
  const waitForTicketNotes = async (ticketId: string, count: number) => {
    await fakeZendesk.waitFor(() => ticketNotes(ticketId).length >= count);
    return ticketNotes(ticketId);
  };
  const kinds = async (approvalId: string, count: number) => (await deliveryAttempts(server, approvalId, count)).filter((a) => a.kind !== 'callback');

  beforeAll(async () => {
    const zendesk = new ZendeskSettings(server.app.workspaces);
    await zendesk.setCredentials(await workspace(), { subdomain: 'acme', email: 'bot@acme.example', apiToken: 'zd-api-token-6f1c2b9e', baseUrl: fakeZendesk.url });
    const intercom = new IntercomSettings(server.app.store, server.app.workspaces, server.config.intercom);
    await intercom.setLink(await workspace(), { workspaceId: 'ic_app_1', region: 'EU', adminId: '7001', gatedTopics: [], callbackUrl: null }, fakeIntercom.token);
  });

  it('writes no note when a request is created while the setting is off (the default)', async () => {
    const { approval } = await server.intake.createApproval(seed000Filled('2001', `${fakeZendesk.url}/cb`));
    await server.review.decide(approval.approvalId, { decision: 'reject', note: 'No', reviewer });
    const notes = await waitForTicketNotes('2001', 1);
    // Only the settlement note: give a creation note time to have been sent, had one been planned.
    await new Promise((r) => setTimeout(r, 500));
    expect(ticketNotes('2001')).toHaveLength(1);
    expect(notes[0]!.body).toContain('Rejected by Ana Reviewer');
  });

  it('writes an internal Zendesk note with what is asked when the setting is on, then the settlement note', async () => {
    await setting('zendesk', true);
    const base = seed000Filled('2002', `${fakeZendesk.url}/cb`);
    const { approval } = await server.intake.createApproval({ ...base, riskLevel: 'high', justification: 'Duplicate charge confirmed in Stripe', agentName: 'Refund bot' });
    const [created] = await waitForTicketNotes('2002', 1);
    expect(created!.public).toBe(false);
    // Nobody has decided: the note is the API token user's, never an agent's.
    expect(created).not.toHaveProperty('author_id');
    const body = created!.body as string;
    expect(body.split('\n')[0]).toBe(`${NEEDED} "process_refund"`);
    expect(body).toContain('Refund request on ticket #2002 — Jane Doe');
    expect(body).toContain('Risk: high.');
    expect(body).toContain('Requested by Refund bot.');
    expect(body).toContain('Justification: Duplicate charge confirmed in Stripe');
    expect(body).toContain('- amount: "49.00"');
    expect(body).toContain("in the Countersign app in this ticket's sidebar");
    expect(body).toContain(approval.approvalId);

    await server.review.decide(approval.approvalId, { decision: 'approve', reviewer });
    const notes = await waitForTicketNotes('2002', 2);
    expect(notes[1]!.body).toContain('Approved by Ana Reviewer');
    const attempts = await kinds(approval.approvalId, 3);
    expect(attempts.map((a) => [a.kind, a.outcome])).toEqual(expect.arrayContaining([['zendesk_request_note', 'delivered'], ['zendesk_note', 'delivered']]));
  });

  it('writes no creation note for a request the policy settles at intake (its settlement note says it all)', async () => {
    await setting('zendesk', true);
    const adminKey = (await server.app.workspaces.issueKey(await workspace(), 'admin')).key;
    const policy = { rules: [{ id: 'auto-goodwill', when: { action: 'goodwill_credit' }, then: { decide: 'approve', note: 'Goodwill credits are automatic.' } }] };
    const put = await call(`${server.url}/api/policy`, { method: 'PUT', headers: { authorization: `Bearer ${adminKey}` }, json: policy });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    await new Promise((r) => setTimeout(r, 1100)); // the policy in force is cached for up to a second
    const { approval } = await server.intake.createApproval({ ...seed000Filled('2003', `${fakeZendesk.url}/cb`), action: 'goodwill_credit' });
    expect(approval.status).toBe('approved');
    const [note] = await waitForTicketNotes('2003', 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(ticketNotes('2003')).toHaveLength(1);
    expect(note!.body).toContain('Approved automatically by the workspace\'s policy (rule "auto-goodwill")');
  });

  it('drops a creation note still waiting to be sent once the request has ended: it is recorded superseded, never sent', async () => {
    await setting('zendesk', true);
    const isCreationNote = (r: { path: string; body: string }) => r.path === '/api/v2/tickets/2004.json' && r.body.includes(NEEDED);
    // Zendesk refuses every creation note on this ticket; its retry after the decision finds it superseded.
    fakeZendesk.replyBy((r) => (isCreationNote(r) ? { status: 503 } : undefined));
    const { approval } = await server.intake.createApproval(seed000Filled('2004', `${fakeZendesk.url}/cb`));
    await deliveryAttempts(server, approval.approvalId, 1);
    await server.review.decide(approval.approvalId, { decision: 'approve', reviewer });
    await waitForTicketNotes('2004', 2);
    const deadline = Date.now() + 20_000;
    let outcomes: string[] = [];
    while (outcomes.at(-1) !== 'superseded' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      outcomes = (await kinds(approval.approvalId, 1)).filter((a) => a.kind === 'zendesk_request_note').map((a) => a.outcome);
    }
    expect(outcomes.at(-1)).toBe('superseded');
    expect(outcomes.slice(0, -1).every((o) => o === 'retrying')).toBe(true);
    // Every creation-note request Zendesk saw was a refused attempt: the superseded one was never sent.
    expect(fakeZendesk.received.filter(isCreationNote)).toHaveLength(outcomes.length - 1);
    expect(ticketNotes('2004').at(-1)!.body).toContain('Approved by Ana Reviewer');
  });

  it('writes an Intercom note as the link\'s admin when the setting is on for Intercom, and none when it is off', async () => {
    await setting('intercom', false);
    const quiet = (await server.intake.createApproval(seed000IntercomRelay('c-3001', `${fakeZendesk.url}/cb`))).approval;
    await server.review.decide(quiet.approvalId, { decision: 'approve', reviewer });
    expect(await fakeIntercom.waitForNotes('c-3001', 1)).toHaveLength(1);

    await setting('intercom', true);
    const { approval } = await server.intake.createApproval(seed000IntercomRelay('c-3002', `${fakeZendesk.url}/cb`));
    const [note] = await fakeIntercom.waitForNotes('c-3002', 1);
    expect(note!.headers.authorization).toBe(`Bearer ${fakeIntercom.token}`);
    expect(note!.json).toMatchObject({ message_type: 'note', type: 'admin', admin_id: '7001' });
    expect(note!.json.body).toContain(`<p><b>${NEEDED} &#34;intercom_action&#34;</b></p>`);
    expect(note!.json.body).toContain('&#60;p&#62;Please cancel my plan&#60;/p&#62;');
    expect(note!.json.body).toContain('Countersign app of this conversation');
    await server.review.decide(approval.approvalId, { decision: 'reject', reviewer });
    const notes = await fakeIntercom.waitForNotes('c-3002', 2);
    expect(notes[1]!.json.body).toContain('Rejected by Ana Reviewer');
    // The first request's settlement note was its only one.
    expect(fakeIntercom.notes('c-3001')).toHaveLength(1);
  });
});
