// Evidence: quorum under concurrency. A policy rule needs 3 approvals; 6 eligible reviewers (each with
// a personal review key) approve the same request at the same instant, round after round, on a real
// server with a real SQLite file and a real callback receiver — then on two instances sharing one
// SQLite file, the reviewers split between them. Every round must end with exactly one settling
// approval (one 200 "approved" among the answers, one approval.approved event), exactly 3 distinct
// reviewers in `approvals`, exactly one callback delivery written and exactly one callback received,
// and no 5xx: the other answers are 200 "pending" (an approval recorded before the quorum) or 409
// (already_decided, or already_approved).
//
// ROUNDS (default 20) sets the rounds per part: QUORUM_ROUNDS=100 npx vitest run test/proof/quorum-concurrency.test.ts
import { afterEach, describe, expect, it } from 'vitest';
import { withReceiver } from '../support/server-and-receiver';
import { startTestServer, type TestServer } from '../support/test-server';
import { makeTempDir } from '../support/temp-dir';

const ROUNDS = Number(process.env.QUORUM_ROUNDS ?? 20);
const REQUIRED = 3;
const REVIEWERS = 6;

const POLICY = { rules: [{ id: 'three-of-finance', when: { action: 'quorum_refund' }, then: { approvals: REQUIRED, reviewers: { emails: Array.from({ length: REVIEWERS }, (_, i) => `reviewer${i}@example.com`) } } }] };

interface Answer {
  status: number;
  body: any;
}

async function post(url: string, key: string, body: unknown): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** The workspace's admin key, the policy set with it, and one personal review key per eligible reviewer. */
async function prepare(server: TestServer): Promise<string[]> {
  const { workspaces } = server.app;
  const home = await workspaces.byName('default');
  const admin = (await workspaces.issueKey(home, 'admin')).key;
  const set = await fetch(`${server.url}/api/policy`, { method: 'PUT', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(POLICY) });
  expect(set.status).toBe(200);
  const keys = [];
  for (let i = 0; i < REVIEWERS; i++) {
    keys.push((await workspaces.issueKey(home, 'review', { reviewer: { kind: 'personal', id: `reviewer${i}`, name: `Reviewer ${i}`, email: `reviewer${i}@example.com` } })).key);
  }
  return keys;
}

describe('quorum under concurrency', () => {
  const receiver = withReceiver();
  const servers: TestServer[] = [];
  const temps: Array<ReturnType<typeof makeTempDir>> = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop();
    for (const temp of temps.splice(0)) temp.remove();
  });

  /**
   * One round: a new request, then every reviewer's approval sent at once (reviewer i through
   * instance i mod n). Checks what the answers and the store say of the round; answers the approval id.
   */
  async function round(instances: TestServer[], keys: string[], n: number): Promise<{ id: string; answers: Answer[] }> {
    const [first] = instances;
    const { approval } = await first!.intake.createApproval({ action: 'quorum_refund', summary: `Quorum round ${n}`, details: { amount: '900.00', round: n }, callbackUrl: `${receiver.url}/cb` });
    expect(approval.policy).toMatchObject({ ruleId: 'three-of-finance', approvalsRequired: REQUIRED });
    const id = approval.approvalId;
    const answers = await Promise.all(keys.map((key, i) => post(`${instances[i % instances.length]!.url}/api/approvals/${id}/decision`, key, { decision: 'approve', note: `round ${n}` })));
    const where = `round ${n}: ${JSON.stringify(answers.map((a) => [a.status, a.body?.status ?? a.body?.error?.code]))}`;

    for (const answer of answers) expect([200, 409], where).toContain(answer.status);
    const ok = answers.filter((a) => a.status === 200);
    const settling = ok.filter((a) => a.body.status === 'approved');
    expect(settling, where).toHaveLength(1);
    expect(ok.filter((a) => a.body.status === 'pending'), where).toHaveLength(REQUIRED - 1);
    for (const refused of answers.filter((a) => a.status === 409)) expect(['already_decided', 'already_approved'], where).toContain(refused.body.error.code);

    const store = first!.app.store;
    const workspaceId = (await store.workspaces.findByName('default'))!.id;
    const stored = (await store.approvals.get(workspaceId, id))!;
    expect(stored.status).toBe('approved');
    expect(stored.approvals).toHaveLength(REQUIRED);
    expect(new Set(stored.approvals.map((vote) => vote.reviewer.id)).size, where).toBe(REQUIRED);
    expect(settling[0]!.body.decidedBy).toEqual(stored.decidedBy);
    expect(settling[0]!.body.approvals.map((vote: { reviewer: { id: string } }) => vote.reviewer.id)).toEqual(stored.approvals.map((vote) => vote.reviewer.id));
    const events = (await store.approvals.listEvents(workspaceId, id)).map((e) => e.type);
    expect(events.filter((type) => type === 'approval.approved'), where).toHaveLength(1);
    expect(events.filter((type) => type === 'approval.approval_recorded'), where).toHaveLength(REQUIRED - 1);
    expect((await store.outbox.list(workspaceId, id)).filter((d) => d.kind === 'callback'), where).toHaveLength(1);
    return { id, answers };
  }

  /** After all rounds: each request's one callback arrived, once, naming its three reviewers. */
  async function oneCallbackEach(ids: string[]): Promise<void> {
    await receiver.waitFor(() => ids.every((id) => receiver.for(id).length >= 1), 30_000);
    // Room for a duplicate to show up, had any been written.
    await new Promise((r) => setTimeout(r, 500));
    for (const id of ids) {
      const callbacks = receiver.for(id);
      expect(callbacks, id).toHaveLength(1);
      expect(new Set((callbacks[0]!.json.approvals as Array<{ reviewer: { id: string } }>).map((vote) => vote.reviewer.id)).size).toBe(REQUIRED);
    }
  }

  function tally(rounds: Array<{ answers: Answer[] }>): string {
    const counts: Record<string, number> = {};
    for (const { answers } of rounds) for (const a of answers) {
      const label = `${a.status} ${a.status === 200 ? a.body.status : a.body.error.code}`;
      counts[label] = (counts[label] ?? 0) + 1;
    }
    return JSON.stringify(counts);
  }

  it(`settles each request exactly once with ${REQUIRED} distinct approvals when ${REVIEWERS} reviewers approve at the same instant (one instance, ${ROUNDS} rounds)`, async () => {
    const server = await startTestServer();
    servers.push(server);
    const keys = await prepare(server);
    const rounds = [];
    for (let n = 0; n < ROUNDS; n++) rounds.push(await round([server], keys, n));
    await oneCallbackEach(rounds.map((r) => r.id));
    console.log(`quorum, one instance: ${ROUNDS} rounds × ${REVIEWERS} simultaneous approvals → ${tally(rounds)}`);
  });

  it(`does the same with the reviewers split across two instances on one SQLite file (${ROUNDS} rounds)`, async () => {
    const temp = makeTempDir('quorum-two-instances');
    temps.push(temp);
    const a = await startTestServer({ dataDir: temp.dir });
    servers.push(a);
    // The policy is set before the second instance starts, so neither holds an older one in its cache.
    const keys = await prepare(a);
    const b = await startTestServer({ dataDir: temp.dir });
    servers.push(b);
    const rounds = [];
    for (let n = 0; n < ROUNDS; n++) rounds.push(await round(n % 2 ? [b, a] : [a, b], keys, n));
    await oneCallbackEach(rounds.map((r) => r.id));
    console.log(`quorum, two instances: ${ROUNDS} rounds × ${REVIEWERS} simultaneous approvals → ${tally(rounds)}`);
  });
});
