// POST /slack/interactions against a fake Slack Web API: Approve decides at once as the Slack user who
// clicked (users.info: {id, name, email, via: "slack"}); Reject and Edit open their modals and their
// submissions decide (the Edit modal keeps numbers numbers and booleans booleans); eligibility applies
// as everywhere, and whoever is refused is told why in an ephemeral message; signatures that are bad,
// stale, replayed or truncated are 401 and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountersignClient, PolicyInput } from '@countersign/shared';
import { blockActionsPayload, signedInteraction } from '@countersign/playground';
import { slackSignature } from '@countersign/server/integrations/slack';
import type { WorkspaceRecord } from '@countersign/server/approvals';
import { ANA, BO, type FakeSlack, actor, click, submit } from '../../support/fake-slack';
import { startSlackLinkedServer, type SlackLinkedServer } from '../../support/slack-linked-server';
import { call, reviewer, type TestServer } from '../../support/test-server';

const refund = (overrides: Record<string, unknown> = {}) => ({
  action: 'process_refund',
  summary: 'Refund for ticket #4512',
  details: { ticketId: '4512', amount: 49.5, currency: 'EUR', expedite: false, tags: ['vip'] },
  ...overrides,
});

describe('Slack interactions', () => {
  let fake: FakeSlack;
  let server: TestServer;
  let workspace: WorkspaceRecord;
  let intake: CountersignClient;
  let review: CountersignClient;
  let adminKey: string;
  let slack: SlackLinkedServer;

  beforeAll(async () => {
    slack = await startSlackLinkedServer('acme-clicks', (fake) => {
      fake.workspace.addUser('U0GUEST', 'Gus Guest', { email: 'gus@example.com', guest: true });
      fake.workspace.addUser('U0OUTSIDER', 'Olga Outsider', { email: 'olga@elsewhere.example', teamId: 'T0ELSEWHERE' });
    });
    ({ fake, server, workspace, intake, review, adminKey } = slack);
  });
  afterAll(async () => {
    if (process.env.SLACK_TEST_LOGS) console.log(server.logs.filter((l) => l.component === 'slack' || (l.level as number) >= 40).map((l) => JSON.stringify(l)).join('\n'));
    await slack?.close();
  });

  const setPolicy = async (policy: PolicyInput) => {
    const response = await call(`${server.url}/api/policy`, { method: 'PUT', headers: { authorization: `Bearer ${adminKey}` }, json: policy });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
  };

  const posted = async (overrides: Record<string, unknown> = {}) => {
    const { approval } = await intake.createApproval(refund(overrides));
    return { approval, message: await fake.waitForMessage(approval.approvalId) };
  };

  const stored = (approvalId: string) => server.app.store.approvals.get(workspace.id, approvalId);

  it('approves at once on Approve, as the Slack user who clicked, and updates the message', async () => {
    const { approval, message } = await posted();
    const response = await click(server, fake, message, 'countersign_approve', ANA, approval.approvalId);
    expect(response.status).toBe(200);
    const decided = await waitFor(async () => ((await stored(approval.approvalId))?.status === 'approved' ? stored(approval.approvalId) : null));
    expect(decided!.decidedBy).toEqual({ id: ANA.id, name: ANA.name, email: ANA.email, via: 'slack' });
    const { items } = await intake.listEvents(approval.approvalId);
    expect(items.find((e) => e.type === 'approval.approved')!.data).toMatchObject({ verification: 'slack_signed_request', keyId: null });
    await fake.until(() => message.updates === 1, 'the message to show the decision');
    expect(JSON.stringify(message.blocks)).toContain(`<@${ANA.id}>`);
    expect(fake.calls('users.info').at(-1)!.args.user).toBe(ANA.id);
  });

  it('opens the Reject modal and rejects with the note submitted', async () => {
    const { approval, message } = await posted();
    const views = fake.workspace.views.length;
    expect((await click(server, fake, message, 'countersign_reject', ANA, approval.approvalId)).status).toBe(200);
    const view = await fake.waitForView(views);
    expect(view.view).toMatchObject({ type: 'modal', callback_id: 'countersign_reject' });
    expect((await stored(approval.approvalId))!.status).toBe('pending');
    const response = await submit(server, fake, view, ANA, { note: { value: { type: 'plain_text_input', value: 'Not a duplicate charge.' } } });
    expect(response.status).toBe(200);
    const decided = await waitFor(async () => ((await stored(approval.approvalId))?.status === 'rejected' ? stored(approval.approvalId) : null));
    expect(decided).toMatchObject({ decisionNote: 'Not a duplicate charge.', decidedBy: { id: ANA.id, via: 'slack' } });
  });

  it('opens an Edit modal whose inputs keep each detail\'s kind, and approves with the changes as numbers and booleans', async () => {
    const { approval, message } = await posted();
    const views = fake.workspace.views.length;
    await click(server, fake, message, 'countersign_edit', ANA, approval.approvalId);
    const view = await fake.waitForView(views);
    expect(view.view.callback_id).toBe('countersign_edit');
    const inputs = (view.view.blocks as Array<Record<string, any>>).filter((b) => b.type === 'input' && b.block_id.startsWith('detail_'));
    const byLabel = Object.fromEntries(inputs.map((b) => [b.label.text, b]));
    expect(byLabel.amount.element).toMatchObject({ type: 'number_input', is_decimal_allowed: true, initial_value: '49.5' });
    expect(byLabel.expedite.element).toMatchObject({ type: 'radio_buttons', initial_option: { value: 'false' } });
    expect(byLabel.currency.element).toMatchObject({ type: 'plain_text_input', initial_value: 'EUR' });
    expect(byLabel.tags.element).toMatchObject({ type: 'plain_text_input', initial_value: '["vip"]' });

    const values = {
      [byLabel.ticketId.block_id]: { value: { type: 'plain_text_input', value: '4512' } },
      [byLabel.amount.block_id]: { value: { type: 'number_input', value: '25' } },
      [byLabel.currency.block_id]: { value: { type: 'plain_text_input', value: 'EUR' } },
      [byLabel.expedite.block_id]: { value: { type: 'radio_buttons', selected_option: { value: 'true' } } },
      [byLabel.tags.block_id]: { value: { type: 'plain_text_input', value: '["vip"]' } },
      note: { value: { type: 'plain_text_input', value: 'Partial refund.' } },
    };
    expect((await submit(server, fake, view, ANA, values)).status).toBe(200);
    const decided = await waitFor(async () => ((await stored(approval.approvalId))?.status === 'approved' ? stored(approval.approvalId) : null));
    expect(decided!.modifiedDetails).toEqual({ ticketId: '4512', amount: 25, currency: 'EUR', expedite: true, tags: ['vip'] });
    expect(decided!.decisionNote).toBe('Partial refund.');
  });

  it('answers an Edit submission that is not of the detail\'s kind with errors on the form, deciding nothing', async () => {
    const { approval, message } = await posted();
    const views = fake.workspace.views.length;
    await click(server, fake, message, 'countersign_edit', ANA, approval.approvalId);
    const view = await fake.waitForView(views);
    const tags = (view.view.blocks as Array<Record<string, any>>).find((b) => b.label?.text === 'tags')!;
    const response = await submit(server, fake, view, ANA, { [tags.block_id]: { value: { type: 'plain_text_input', value: '{"not": "an array"}' } } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ response_action: 'errors', errors: { [tags.block_id]: expect.stringContaining('must be a JSON array') } });
    await new Promise((r) => setTimeout(r, 300));
    expect((await stored(approval.approvalId))!.status).toBe('pending');
  });

  it('tells a user the rule does not name, in a message only they see, and decides nothing', async () => {
    await setPolicy({ rules: [{ id: 'cfo-only', when: { action: 'big_refund' }, then: { reviewers: { emails: ['cfo@example.com'] } } }] });
    const { approval, message } = await posted({ action: 'big_refund' });
    const ephemerals = fake.workspace.ephemerals.length;
    await click(server, fake, message, 'countersign_approve', ANA, approval.approvalId);
    expect(await fake.waitForEphemeral(ephemerals, ANA.id)).toContain('Only cfo@example.com may decide this request (policy rule "cfo-only")');
    expect((await stored(approval.approvalId))!.status).toBe('pending');
    const modals = fake.workspace.views.length;
    await click(server, fake, message, 'countersign_reject', ANA, approval.approvalId);
    await fake.waitForEphemeral(ephemerals + 1, ANA.id);
    expect(fake.workspace.views.length).toBe(modals);
    await setPolicy({ rules: [] });
  });

  it('lets the Slack user whose email the rule names decide', async () => {
    await setPolicy({ rules: [{ id: 'bo-only', when: { action: 'bo_refund' }, then: { reviewers: { emails: ['BO@example.com'] } } }] });
    const { approval, message } = await posted({ action: 'bo_refund' });
    await click(server, fake, message, 'countersign_approve', BO, approval.approvalId);
    const decided = await waitFor(async () => ((await stored(approval.approvalId))?.status === 'approved' ? stored(approval.approvalId) : null));
    expect(decided!.decidedBy).toMatchObject({ id: BO.id, email: BO.email, via: 'slack' });
    await setPolicy({ rules: [] });
  });

  it('tells unknown users, guests and members of other teams that they cannot decide', async () => {
    const { approval, message } = await posted();
    for (const [user, reason] of [
      [{ id: 'U0NOBODY', name: 'Nobody' }, 'Countersign does not know this Slack user.'],
      [{ id: 'U0GUEST', name: 'Gus Guest' }, 'Guests of this Slack workspace cannot decide requests.'],
      [{ id: 'U0OUTSIDER', name: 'Olga Outsider' }, 'Only members of the Slack workspace Countersign is linked to can decide its requests.'],
    ] as const) {
      const before = fake.workspace.ephemerals.length;
      await click(server, fake, message, 'countersign_approve', user, approval.approvalId);
      expect(await fake.waitForEphemeral(before, user.id)).toBe(reason);
    }
    expect((await stored(approval.approvalId))!.status).toBe('pending');
  });

  it('explains refusals: already decided, four eyes, and a second approval by the same person', async () => {
    const decided = await posted();
    await review.decide(decided.approval.approvalId, { decision: 'approve', reviewer });
    let before = fake.workspace.ephemerals.length;
    await click(server, fake, decided.message, 'countersign_approve', ANA, decided.approval.approvalId);
    expect(await fake.waitForEphemeral(before, ANA.id)).toBe('It is already approved.');

    const own = await posted({ requestedBy: { email: ANA.email } });
    before = fake.workspace.ephemerals.length;
    await click(server, fake, own.message, 'countersign_approve', ANA, own.approval.approvalId);
    expect(await fake.waitForEphemeral(before, ANA.id)).toBe('You asked for this request, so someone else must decide it (four eyes).');

    await setPolicy({ rules: [{ id: 'two', when: { action: 'two_person' }, then: { approvals: 2 } }] });
    const quorum = await posted({ action: 'two_person' });
    before = fake.workspace.ephemerals.length;
    await click(server, fake, quorum.message, 'countersign_approve', ANA, quorum.approval.approvalId);
    expect(await fake.waitForEphemeral(before, ANA.id)).toBe('Your approval is recorded: 1 of 2. It needs another reviewer.');
    // The vote updates the message for everyone in the channel; the buttons stay for the second reviewer.
    const voted = await fake.until(() => { const m = fake.messageFor(quorum.approval.approvalId); return m && JSON.stringify(m.blocks).includes('Approved so far by Ana Reviewer') && m; }, 'the message to show the first approval');
    expect(JSON.stringify(voted.blocks)).toContain('1 more approval by someone else needed.');
    expect(JSON.stringify(voted.blocks)).toContain('*Approvals*\\n1 of 2');
    expect(JSON.stringify(voted.blocks)).toContain('countersign_approve');
    before = fake.workspace.ephemerals.length;
    await click(server, fake, quorum.message, 'countersign_approve', ANA, quorum.approval.approvalId);
    expect(await fake.waitForEphemeral(before, ANA.id)).toBe('Your approval is recorded; 1 more approval from other reviewers must follow.');
    await click(server, fake, quorum.message, 'countersign_approve', BO, quorum.approval.approvalId);
    const approved = await waitFor(async () => ((await stored(quorum.approval.approvalId))?.status === 'approved' ? stored(quorum.approval.approvalId) : null));
    expect(approved!.approvals.map((vote) => vote.reviewer.id)).toEqual([ANA.id, BO.id]);
    const settled = await fake.until(() => { const m = fake.messageFor(quorum.approval.approvalId); return m && !JSON.stringify(m.blocks).includes('countersign_approve') && m; }, 'the message to show the outcome');
    expect(JSON.stringify(settled.blocks)).toContain('Approved by <@U0ANA> and <@U0BO>');
    await setPolicy({ rules: [] });
  });

  describe('signatures', () => {
    /** A genuine click's request, for the rows below to spoil. */
    const genuine = async (actionId = 'countersign_approve') => {
      const { approval, message } = await posted();
      const payload = blockActionsPayload(actor(ANA), message, { actionId, value: approval.approvalId }, fake.workspace.newTrigger());
      return { approval, ...signedInteraction(fake.workspace.signingSecret, payload) };
    };
    const send = (headers: Record<string, string>, body: string) => call(`${server.url}/slack/interactions`, { headers, body });

    async function refusedWithNothingChanged(approvalId: string, response: { status: number; body: any }) {
      expect(response.status).toBe(401);
      expect(response.body.error).toMatchObject({ code: 'invalid_signature' });
      await new Promise((r) => setTimeout(r, 300));
      expect((await stored(approvalId))!.status).toBe('pending');
    }

    it('refuses a wrong signature, a tampered body, a stale or future timestamp, a truncated or missing signature with 401', async () => {
      const { approval, headers, body } = await genuine();
      const stale = String(Math.floor(Date.now() / 1000) - 6 * 60);
      const future = String(Math.floor(Date.now() / 1000) + 6 * 60);
      const cases: Array<[string, Record<string, string>, string]> = [
        ['wrong secret', { ...headers, 'x-slack-signature': slackSignature('not-the-signing-secret-at-all', headers['x-slack-request-timestamp']!, body) }, body],
        ['tampered body', headers, body.replaceAll('countersign_approve', 'countersign_reject')],
        ['stale', { ...headers, 'x-slack-request-timestamp': stale, 'x-slack-signature': slackSignature(fake.workspace.signingSecret, stale, body) }, body],
        ['future', { ...headers, 'x-slack-request-timestamp': future, 'x-slack-signature': slackSignature(fake.workspace.signingSecret, future, body) }, body],
        ['truncated', { ...headers, 'x-slack-signature': headers['x-slack-signature']!.slice(0, -2) }, body],
        ['upper case', { ...headers, 'x-slack-signature': `v0=${headers['x-slack-signature']!.slice(3).toUpperCase()}` }, body],
        ['v1', { ...headers, 'x-slack-signature': headers['x-slack-signature']!.replace('v0=', 'v1=') }, body],
        ['missing', { 'content-type': headers['content-type']!, 'x-slack-request-timestamp': headers['x-slack-request-timestamp']! }, body],
        ['no timestamp', { 'content-type': headers['content-type']!, 'x-slack-signature': headers['x-slack-signature']! }, body],
      ];
      for (const [, spoiled, sent] of cases) await refusedWithNothingChanged(approval.approvalId, await send(spoiled, sent));
      // The genuine request still works: nothing above used up its signature.
      expect((await send(headers, body)).status).toBe(200);
      await waitFor(async () => ((await stored(approval.approvalId))?.status === 'approved' ? true : null));
    });

    it('refuses the same signed request a second time with 401 (a replay)', async () => {
      const views = fake.workspace.views.length;
      const { approval, headers, body } = await genuine('countersign_edit');
      expect((await send(headers, body)).status).toBe(200);
      await fake.waitForView(views);
      await refusedWithNothingChanged(approval.approvalId, await send(headers, body));
      expect(fake.workspace.views.length).toBe(views + 1);
    });

    it('answers a team that is not linked exactly like a bad signature', async () => {
      const { approval, message } = await posted();
      const payload = blockActionsPayload({ teamId: 'T0UNLINKED', userId: ANA.id, userName: ANA.name }, message, { actionId: 'countersign_approve', value: approval.approvalId }, 'trigger');
      const { headers, body } = signedInteraction(fake.workspace.signingSecret, payload);
      await refusedWithNothingChanged(approval.approvalId, await send(headers, body));
    });
  });
});

async function waitFor<T>(check: () => Promise<T | null>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found) return found;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
