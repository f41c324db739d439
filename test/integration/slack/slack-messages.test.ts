// Slack messages through the outbox, against a fake Slack Web API on loopback (SLACK_API_URL): each
// request needing a human is posted in Block Kit with its buttons; a rule's notify routes it; a
// decision taken anywhere updates it; Slack's 429 and Retry-After are honoured; an update waits for
// its post; reminders go in the thread and escalations to the other channel, once each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountersignClient, PolicyInput } from '@countersign/shared';
import type { WorkspaceRecord } from '@countersign/server/approvals';
import { ANA, type FakeSlack, OTHER_CHANNEL, SLACK_CHANNEL } from '../../support/fake-slack';
import { startSlackLinkedServer, type SlackLinkedServer } from '../../support/slack-linked-server';
import { call, reviewer, type TestServer } from '../../support/test-server';

const refund = (overrides: Record<string, unknown> = {}) => ({
  action: 'process_refund',
  summary: 'Refund <!channel> for ticket #4512 — Jane Doe',
  details: { ticketId: '4512', amount: 49.5, currency: 'EUR', expedite: false },
  riskLevel: 'high' as const,
  justification: 'Charged twice for order 1001.',
  agentName: 'Refund bot',
  ...overrides,
});

describe('Slack messages through the outbox', () => {
  let fake: FakeSlack;
  let server: TestServer;
  let workspace: WorkspaceRecord;
  let intake: CountersignClient;
  let review: CountersignClient;
  let adminKey: string;
  let slack: SlackLinkedServer;

  beforeAll(async () => {
    slack = await startSlackLinkedServer('acme-slack');
    ({ fake, server, workspace, intake, review, adminKey } = slack);
  });
  afterAll(async () => {
    await slack?.close();
  });

  /** The approval's recorded delivery attempts, once there are at least `count`. */
  const deliveryAttempts = async (approvalId: string, count: number) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const attempts: Array<Record<string, any>> = (await intake.listEvents(approvalId)).items.filter((e) => e.type === 'delivery.attempt').map((e) => ({ ...(e.data as Record<string, any>), at: Date.parse(e.at) }));
      if (attempts.length >= count) return attempts;
      if (Date.now() > deadline) throw new Error(`fewer than ${count} delivery attempts for ${approvalId}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  const setPolicy = async (policy: PolicyInput) => {
    const response = await call(`${server.url}/api/policy`, { method: 'PUT', headers: { authorization: `Bearer ${adminKey}` }, json: policy });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    // The server keeps the policy in force for up to a second.
    await new Promise((r) => setTimeout(r, 1100));
  };

  it('posts a request needing a human with its summary, risk, action, details, justification, requester, expiry and buttons', async () => {
    const { approval } = await intake.createApproval(refund());
    const message = await fake.waitForMessage(approval.approvalId);
    const post = fake.calls('chat.postMessage').find((r) => JSON.stringify(r.args.blocks).includes(approval.approvalId))!;
    expect(post.headers.authorization).toBe(`Bearer ${fake.workspace.botToken}`);
    expect(post.args.channel).toBe(SLACK_CHANNEL);
    const blocks = message.blocks as Array<Record<string, any>>;
    const text = JSON.stringify(blocks);
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Approval needed: process_refund', emoji: false } });
    // Untrusted text is escaped: a summary cannot mention @channel.
    expect(text).toContain('Refund &lt;!channel&gt; for ticket #4512');
    expect(text).not.toContain('<!channel>');
    for (const expected of ['*Risk*', 'High', '`process_refund`', 'Refund bot', '*Expires*', '<!date^', 'Charged twice for order 1001.', '*amount*\\n49.5', '*currency*\\nEUR', '*expedite*\\nfalse', approval.approvalId]) {
      expect(text).toContain(expected);
    }
    const actions = blocks.find((b) => b.type === 'actions')!;
    expect(actions.elements.map((e: { action_id: string; value: string }) => [e.action_id, e.value])).toEqual([
      ['countersign_approve', approval.approvalId],
      ['countersign_reject', approval.approvalId],
      ['countersign_edit', approval.approvalId],
    ]);
    expect(message.text).toContain('Approval needed: process_refund');
    const [attempt] = await deliveryAttempts(approval.approvalId, 1);
    expect(attempt).toMatchObject({ kind: 'slack_message', outcome: 'delivered', target: `${fake.url}/chat.postMessage` });
  });

  it('updates the message when the request is decided elsewhere: the outcome, no buttons', async () => {
    const { approval } = await intake.createApproval(refund());
    const message = await fake.waitForMessage(approval.approvalId);
    await review.decide(approval.approvalId, { decision: 'reject', note: 'Not a duplicate.', reviewer });
    await fake.until(() => message.updates === 1, 'the message to be updated');
    const update = fake.calls('chat.update').find((r) => r.args.ts === message.ts)!;
    expect(update.args.channel).toBe(SLACK_CHANNEL);
    const text = JSON.stringify(message.blocks);
    expect((message.blocks as Array<{ type: string }>).some((b) => b.type === 'actions')).toBe(false);
    expect(text).toContain('Rejected: process_refund');
    expect(text).toContain('*Ana Reviewer*');
    expect(text).toContain('Not a duplicate.');
  });

  it('shows a quorum\'s first approval on the message, and never sends that update after the settlement\'s', async () => {
    await setPolicy({ rules: [{ id: 'two', when: { action: 'two_person_refund' }, then: { approvals: 2 } }] });
    const { approval } = await intake.createApproval(refund({ action: 'two_person_refund' }));
    const message = await fake.waitForMessage(approval.approvalId);
    // Slack throttles the vote's update: it waits 2 s, and the second approval settles the request first.
    fake.failNext('chat.update', { status: 429, retryAfterS: 2 });
    await review.decide(approval.approvalId, { decision: 'approve', reviewer: { id: 'a1', name: 'First Approver', via: 'api' } });
    const throttled = await deliveryAttempts(approval.approvalId, 2);
    expect(throttled.map((a) => a.outcome)).toEqual(['delivered', 'retrying']);
    await review.decide(approval.approvalId, { decision: 'approve', reviewer: { id: 'a2', name: 'Second Approver', via: 'api' } });
    await fake.until(() => JSON.stringify(message.blocks).includes('Approved: two_person_refund'), 'the message to show the outcome');
    const attempts = await deliveryAttempts(approval.approvalId, 4);
    expect(attempts.filter((a) => a.outcome === 'superseded')).toHaveLength(1);
    // The outcome stays: no buttons came back.
    expect((message.blocks as Array<{ type: string }>).some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(message.blocks)).toContain('*First Approver* and *Second Approver*');
    await setPolicy({ rules: [] });
  });

  it('posts nothing for a request the policy decides at intake', async () => {
    await setPolicy({ rules: [{ id: 'tiny', when: { action: 'tiny_refund' }, then: { decide: 'approve' } }] });
    const { approval } = await intake.createApproval(refund({ action: 'tiny_refund' }));
    expect(approval.status).toBe('approved');
    const control = (await intake.createApproval(refund())).approval;
    await fake.waitForMessage(control.approvalId);
    expect(fake.messageFor(approval.approvalId)).toBeUndefined();
    await setPolicy({ rules: [] });
  });

  it('routes a request to the channel its rule names in notify', async () => {
    await setPolicy({ rules: [{ id: 'refunds-elsewhere', when: { action: 'routed_refund' }, then: { notify: { slack: OTHER_CHANNEL } } }] });
    const { approval } = await intake.createApproval(refund({ action: 'routed_refund' }));
    await fake.waitForMessage(approval.approvalId, OTHER_CHANNEL);
    expect(fake.messageFor(approval.approvalId, SLACK_CHANNEL)).toBeUndefined();
    await setPolicy({ rules: [] });
  });

  it('honours a 429 with Retry-After: the post is tried again no sooner than Slack asked, and the audit trail says so', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfterS: 1 });
    const { approval } = await intake.createApproval(refund());
    await fake.waitForMessage(approval.approvalId);
    const [first, second] = await deliveryAttempts(approval.approvalId, 2);
    expect(first).toMatchObject({ kind: 'slack_message', outcome: 'retrying', statusCode: 429 });
    expect(first!.error).toMatch(/Retry-After 1 s/);
    expect(second).toMatchObject({ outcome: 'delivered' });
    // Retry-After is a floor: the second attempt started at least a second after the first ended.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it('holds an update back until its message is posted, then updates that message', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfterS: 1 });
    const { approval } = await intake.createApproval(refund());
    await review.decide(approval.approvalId, { decision: 'approve', reviewer });
    const message = await fake.waitForMessage(approval.approvalId);
    await fake.until(() => message.updates === 1, 'the late message to be updated');
    expect(JSON.stringify(message.blocks)).toContain('Approved: process_refund');
    const attempts = await deliveryAttempts(approval.approvalId, 3);
    const waited = attempts.find((a) => a.error === 'waiting for the Slack message to be posted first');
    expect(waited, JSON.stringify(attempts)).toMatchObject({ outcome: 'retrying', target: `${fake.url}/chat.update` });
    const updateCall = fake.calls('chat.update').find((r) => r.args.ts === message.ts)!;
    expect(updateCall.at).toBeGreaterThanOrEqual(message.postedAt);
  });

  it('gives an update up when its message never could be posted', async () => {
    fake.failNext('chat.postMessage', { status: 200, body: { ok: false, error: 'not_in_channel' } });
    const { approval } = await intake.createApproval(refund());
    const [post] = await deliveryAttempts(approval.approvalId, 1);
    expect(post).toMatchObject({ outcome: 'gave_up', error: 'Slack refused the call: not_in_channel' });
    await review.decide(approval.approvalId, { decision: 'approve', reviewer });
    const attempts = await deliveryAttempts(approval.approvalId, 2);
    expect(attempts.filter((a) => a.kind === 'slack_message' && a.target.endsWith('/chat.update'))[0]).toMatchObject({ outcome: 'gave_up' });
  });

  it('reminds in the message\'s thread and escalates to the other channel, once each, and updates both when decided', async () => {
    await setPolicy({ rules: [{ id: 'nudged', when: { action: 'nudged_refund' }, then: { remindAfterSeconds: 1, escalateAfterSeconds: 2, escalateTo: { slack: OTHER_CHANNEL } } }] });
    const { approval } = await intake.createApproval(refund({ action: 'nudged_refund' }));
    const message = await fake.waitForMessage(approval.approvalId);
    const reply = await fake.until(() => fake.workspace.replies(SLACK_CHANNEL, message.ts)[0], 'a reminder in the thread');
    expect(reply.text).toContain('Reminder: "nudged_refund" is still waiting for a decision.');
    const escalation = await fake.waitForMessage(approval.approvalId, OTHER_CHANNEL);
    expect(JSON.stringify(escalation.blocks)).toContain('Escalated: nobody has decided this request in');
    expect(JSON.stringify(escalation.blocks)).toContain('countersign_approve');
    // A few more sweeps: still one of each.
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.workspace.replies(SLACK_CHANNEL, message.ts)).toHaveLength(1);
    expect(fake.workspace.channelMessages(OTHER_CHANNEL).filter((m) => JSON.stringify(m.blocks).includes(approval.approvalId))).toHaveLength(1);
    const { items } = await intake.listEvents(approval.approvalId);
    expect(items.filter((e) => e.type === 'approval.reminded')).toHaveLength(1);
    expect(items.filter((e) => e.type === 'approval.escalated')).toHaveLength(1);
    expect(items.find((e) => e.type === 'approval.escalated')!.data).toEqual({ afterSeconds: 2, escalateTo: { slack: OTHER_CHANNEL } });

    await review.decide(approval.approvalId, { decision: 'approve', reviewer: { ...reviewer, id: ANA.id } });
    await fake.until(() => message.updates === 1 && escalation.updates === 1, 'both messages to be updated');
    expect(JSON.stringify(escalation.blocks)).toContain('Approved: nudged_refund');
    await setPolicy({ rules: [] });
  });
});
