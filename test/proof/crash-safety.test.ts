// Evidence: SIGKILL in the middle of a stream of requests and decisions loses nothing that was
// acknowledged, and every decision still reaches its callback receiver, signed, with one webhook-id.
//
// The real server runs as a child process on the SQLite default. CRASH_REQUESTS sets the stream's
// length (default 400); CRASH_SEED replays a run (the seed fixes where the kill falls and which
// requests are decided how).
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallbackReceiver, type ReceivedCallback } from '../support/callback-receiver';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { checkStandardWebhook } from '../support/standard-webhooks';
import { makeTempDir } from '../support/temp-dir';
import { CALLBACK_SECRET, INTAKE_KEY, REVIEW_KEY } from '../support/test-server';

const TOTAL = Number(process.env.CRASH_REQUESTS ?? 400);
const SEED = Number(process.env.CRASH_SEED ?? randomInt(2 ** 31));
const INTAKE_CONCURRENCY = 8;
const DECISION_CONCURRENCY = 8;
/** Share of the created requests a reviewer decides while the stream runs. */
const DECIDE_SHARE = 0.6;
/**
 * Every so many requests asks to wait for a decision (seed 001's synchronous flow): it is committed at once
 * but answered only later, so the kill always finds requests that exist yet were never acknowledged.
 */
const SYNC_WAIT_EVERY = 10;
const SYNC_WAIT_MS = 1500;
/**
 * The receiver is slow (so the kill finds callbacks sent but not yet answered, which must be sent
 * again) and turns down the first attempt of every so many (so the kill finds callbacks waiting for a retry).
 */
const RECEIVER_DELAY_MS = 250;
const RECEIVER_REFUSES_FIRST_EVERY = 4;
/** The kill falls after this share of the stream has been acknowledged: somewhere in [30 %, 70 %). */
const KILL_WINDOW = [0.3, 0.7] as const;

const RETRY_SCHEDULE_MS = [200, 400, 800, 1600, 3000];
const DELIVERY_TIMEOUT_MS = 2000;
const POLL_INTERVAL_MS = 100;
/** The worker's lease (server/src/delivery/delivery-worker.ts): a callback claimed by the killed process waits this long. */
const LEASE_MS = DELIVERY_TIMEOUT_MS + Math.max(5000, DELIVERY_TIMEOUT_MS);
/** Every callback must have arrived by then: an expired lease, then the whole schedule, plus room for a slow machine. */
const CALLBACK_DEADLINE_MS = LEASE_MS + RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0) + 10_000;
const HTTP_TIMEOUT_MS = 20_000;

/** mulberry32: a small seeded PRNG, so a printed seed replays the same run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

async function http(url: string, init: { method?: string; headers?: Record<string, string>; json?: unknown } = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers: { ...(init.json === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

/** Runs `fn` over `items`, `limit` at a time, in order of the results. */
async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

type Verdict = 'approve' | 'reject';
const statusOf = { approve: 'approved', reject: 'rejected' } as const;
const callbackStatusOf = { approved: 'APPROVED', rejected: 'REJECTED' } as Record<string, string>;

interface IntakeRecord {
  n: number;
  ticketId: string;
  idempotencyKey: string;
  body: Record<string, unknown>;
  /** acked: a 2xx came back; unacked: the connection died (the kill); refused: a non-2xx answer. */
  outcome: 'acked' | 'unacked' | 'refused' | 'in flight';
  approvalId?: string;
  detail?: string;
}

interface DecisionRecord {
  n: number;
  approvalId: string;
  verdict: Verdict;
  outcome: 'acked' | 'unacked' | 'refused' | 'in flight';
  detail?: string;
}

describe('crash safety (SIGKILL mid-stream, SQLite)', () => {
  const temp = makeTempDir('crash');
  const children: ServerProcess[] = [];
  let receiver: CallbackReceiver;
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: '0',
    COUNTERSIGN_DATA_DIR: temp.dir,
    COUNTERSIGN_BOOTSTRAP_INTAKE_KEY: INTAKE_KEY,
    COUNTERSIGN_BOOTSTRAP_REVIEW_KEY: REVIEW_KEY,
    COUNTERSIGN_BOOTSTRAP_CALLBACK_SECRET: CALLBACK_SECRET,
    COUNTERSIGN_ALLOW_PRIVATE_CALLBACKS: 'true',
    COUNTERSIGN_RETRY_SCHEDULE: RETRY_SCHEDULE_MS.map((ms) => `${ms}ms`).join(','),
    COUNTERSIGN_DELIVERY_TIMEOUT: `${DELIVERY_TIMEOUT_MS}ms`,
    COUNTERSIGN_POLL_INTERVAL: `${POLL_INTERVAL_MS}ms`,
    COUNTERSIGN_PLAYGROUND: 'false',
    COUNTERSIGN_LOG_LEVEL: 'warn',
    COUNTERSIGN_RATE_LIMIT_PER_KEY: '0',
    COUNTERSIGN_RATE_LIMIT_PER_IP: '0',
    COUNTERSIGN_RATE_LIMIT_PLATFORM_PER_IP: '0',
  };
  const intakeHeaders = { 'x-api-key': INTAKE_KEY };
  const reviewHeaders = { authorization: `Bearer ${REVIEW_KEY}` };

  beforeAll(async () => {
    receiver = await new CallbackReceiver().start();
    receiver.replyBy((request) => {
      const n = Number(/^\/cb\/(\d+)$/.exec(request.path)?.[1]);
      const first = receiver.for(String(request.json.approvalId)).length === 0;
      return first && n % RECEIVER_REFUSES_FIRST_EVERY === 0 ? { status: 503 } : { status: 204, delayMs: RECEIVER_DELAY_MS };
    });
  });
  afterAll(async () => {
    await Promise.allSettled(children.map((c) => c.kill()));
    await receiver?.stop();
    temp.remove();
  });

  it('keeps every acknowledged request and decision, delivers every decision’s callback once signed (repeats keep their webhook-id), and replays in-flight Idempotency-Keys to one approval', async () => {
    const random = prng(SEED);
    const killAfterAcks = Math.floor(TOTAL * (KILL_WINDOW[0] + (KILL_WINDOW[1] - KILL_WINDOW[0]) * random()));
    const decideByN = Array.from({ length: TOTAL }, () => random() < DECIDE_SHARE);
    let alternate = 0;
    const verdictByN = decideByN.map((decide) => (decide ? ((alternate++ % 2 === 0 ? 'approve' : 'reject') as Verdict) : null));
    const reproduce = `CRASH_SEED=${SEED} CRASH_REQUESTS=${TOTAL}`;

    // ---- the stream, until the kill -------------------------------------------------------------
    const first = await startServerProcess(env);
    children.push(first);
    const intakes: IntakeRecord[] = [];
    const decisions: DecisionRecord[] = [];
    const decisionQueue: DecisionRecord[] = [];
    const running = new Set<Promise<void>>();
    let killed = false;
    let acks = 0;
    let intakeInFlight = 0;
    let decisionsInFlight = 0;
    const startedAt = Date.now();
    let killedAfterMs = 0;
    let streamEnded!: () => void;
    const ended = new Promise<void>((resolve) => (streamEnded = resolve));

    const track = (work: Promise<void>) => {
      running.add(work);
      void work.finally(() => {
        running.delete(work);
        pump();
        if (running.size === 0) streamEnded();
      });
    };

    const kill = () => {
      if (killed) return;
      killed = true;
      killedAfterMs = Date.now() - startedAt;
      first.child.kill('SIGKILL');
    };

    const sendIntake = async (record: IntakeRecord) => {
      try {
        const answer = await http(`${first.url}/api/webhooks/inbound`, {
          headers: { ...intakeHeaders, 'idempotency-key': record.idempotencyKey },
          json: record.body,
        });
        if (answer.status === 200 || answer.status === 201) {
          record.outcome = 'acked';
          record.approvalId = answer.body.approvalId;
          if (!killed && verdictByN[record.n]) decisionQueue.push({ n: record.n, approvalId: answer.body.approvalId, verdict: verdictByN[record.n]!, outcome: 'in flight' });
          if (++acks === killAfterAcks) kill();
        } else {
          record.outcome = 'refused';
          record.detail = `HTTP ${answer.status} ${JSON.stringify(answer.body)}`;
        }
      } catch (error) {
        record.outcome = 'unacked';
        record.detail = String((error as Error).cause ?? error);
      }
    };

    const sendDecision = async (record: DecisionRecord) => {
      try {
        const answer = await http(`${first.url}/api/approvals/${record.approvalId}/decision`, {
          headers: reviewHeaders,
          // The bootstrap review key is the admin's personal key: decisions need no reviewer body.
          json: { decision: record.verdict, note: `crash-safety ${record.verdict}` },
        });
        if (answer.status === 200 && answer.body.status === statusOf[record.verdict]) record.outcome = 'acked';
        else {
          record.outcome = 'refused';
          record.detail = `HTTP ${answer.status} ${JSON.stringify(answer.body)}`;
        }
      } catch (error) {
        record.outcome = 'unacked';
        record.detail = String((error as Error).cause ?? error);
      }
    };

    function pump(): void {
      if (killed) return;
      while (intakeInFlight < INTAKE_CONCURRENCY && intakes.length < TOTAL) {
        const n = intakes.length;
        const ticketId = `crash-${SEED}-${n}`;
        const record: IntakeRecord = {
          n,
          ticketId,
          idempotencyKey: `crash-${SEED}-${n}`,
          body: {
            action: 'process_refund',
            summary: `Crash-safety request ${n}`,
            riskLevel: 'high',
            details: { ticketId, amount: `${n}.00` },
            webhookUrl: `${receiver.url}/cb/${n}`,
            ...(n % SYNC_WAIT_EVERY === SYNC_WAIT_EVERY - 1 ? { maxWaitMs: SYNC_WAIT_MS } : {}),
          },
          outcome: 'in flight',
        };
        intakes.push(record);
        intakeInFlight++;
        track(sendIntake(record).finally(() => intakeInFlight--));
      }
      while (decisionsInFlight < DECISION_CONCURRENCY && decisionQueue.length > 0) {
        const record = decisionQueue.shift()!;
        decisions.push(record);
        decisionsInFlight++;
        track(sendDecision(record).finally(() => decisionsInFlight--));
      }
    }

    pump();
    await ended;
    // A stream too short to reach the kill point (tiny CRASH_REQUESTS) still gets its kill.
    kill();
    const exit = await first.exited;
    expect(exit.signal, 'the first server must die by SIGKILL').toBe('SIGKILL');

    const refusedIntakes = intakes.filter((r) => r.outcome === 'refused');
    const refusedDecisions = decisions.filter((d) => d.outcome === 'refused');
    expect(refusedIntakes.map((r) => `#${r.n}: ${r.detail}`), 'no intake request may be refused before the kill').toEqual([]);
    expect(refusedDecisions.map((d) => `#${d.n}: ${d.detail}`), 'no decision may be refused before the kill').toEqual([]);
    const acked = intakes.filter((r) => r.outcome === 'acked');
    const unackedIntakes = intakes.filter((r) => r.outcome === 'unacked');
    const decisionByApproval = new Map(decisions.map((d) => [d.approvalId, d]));

    // ---- restart on the same data dir ---------------------------------------------------------------
    const restartedAt = Date.now();
    const second = await startServerProcess(env);
    children.push(second);

    // Every acknowledged request is there, in the state its acknowledged decision (if any) left it.
    const problems: string[] = [];
    const found = await mapPool(acked, 8, async (record) => {
      const answer = await http(`${second.url}/api/approvals/${record.approvalId}`, { headers: intakeHeaders });
      if (answer.status !== 200) {
        problems.push(`#${record.n} ${record.approvalId}: acknowledged, now HTTP ${answer.status}`);
        return null;
      }
      const decision = decisionByApproval.get(record.approvalId!);
      const allowed =
        decision?.outcome === 'acked' ? [statusOf[decision.verdict]]
        : decision?.outcome === 'unacked' ? ['pending', statusOf[decision.verdict]]
        : ['pending'];
      if (!allowed.includes(answer.body.status)) {
        problems.push(`#${record.n} ${record.approvalId}: ${answer.body.status}, expected ${allowed.join(' or ')} (decision ${decision?.outcome ?? 'none'})`);
      }
      return { record, status: answer.body.status as string };
    });
    const present = found.filter((f) => f !== null);
    const lost = acked.length - present.length;
    expect(problems, `state after the restart (${reproduce})`).toEqual([]);
    expect(lost).toBe(0);

    // Requests in flight at the kill, retried with the same Idempotency-Key: one approval each.
    const retried = await mapPool(unackedIntakes, 8, async (record) => {
      const answer = await http(`${second.url}/api/webhooks/inbound`, {
        headers: { ...intakeHeaders, 'idempotency-key': record.idempotencyKey },
        json: record.body,
      });
      expect(answer.status, `retry of #${record.n}: ${JSON.stringify(answer.body)}`).toBe(201);
      return { record, approvalId: answer.body.approvalId as string, replayed: answer.headers.get('idempotent-replayed') === 'true' };
    });
    // …and acknowledged ones, retried, answer the approval they already made.
    const ackedRetries = await mapPool(acked.slice(0, 20), 8, async (record) => {
      const answer = await http(`${second.url}/api/webhooks/inbound`, {
        headers: { ...intakeHeaders, 'idempotency-key': record.idempotencyKey },
        json: record.body,
      });
      return { record, approvalId: answer.body?.approvalId as string, replayed: answer.headers.get('idempotent-replayed') === 'true' };
    });
    expect(
      ackedRetries.filter((r) => r.approvalId !== r.record.approvalId || !r.replayed).map((r) => `#${r.record.n}: ${r.record.approvalId} retried gave ${r.approvalId}`),
      'an acknowledged request retried with its Idempotency-Key answers its own approval',
    ).toEqual([]);

    // Exactly one approval per request sent, across everything the store holds.
    const listed: Array<{ approvalId: string; status: string; details: { ticketId: string } }> = [];
    let cursor: string | null = null;
    do {
      const page: Answer = await http(`${second.url}/api/approvals?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: reviewHeaders });
      expect(page.status).toBe(200);
      listed.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    const perTicket = new Map<string, string[]>();
    for (const item of listed) perTicket.set(item.details.ticketId, [...(perTicket.get(item.details.ticketId) ?? []), item.approvalId]);
    const expectedIds = new Map([
      ...acked.map((r) => [r.ticketId, r.approvalId!] as const),
      ...retried.map((r) => [r.record.ticketId, r.approvalId] as const),
    ]);
    const duplicatesOrStrays = [...perTicket].filter(([ticket, ids]) => ids.length !== 1 || expectedIds.get(ticket) !== ids[0]);
    expect(duplicatesOrStrays, 'each request sent is exactly one approval, the one it was answered with').toEqual([]);
    expect(listed.length).toBe(expectedIds.size);

    // Every decided request's callback is delivered: the server records it delivered (so nothing more
    // will come), and the receiver answered 2xx to at least one arrival, all signed, one webhook-id each.
    const decided = new Map(present.filter((p) => p.status !== 'pending').map((p) => [p.record.approvalId!, p.status]));
    const undelivered = new Set(decided.keys());
    const deadline = Date.now() + CALLBACK_DEADLINE_MS;
    while (undelivered.size > 0) {
      await mapPool([...undelivered], 8, async (id) => {
        const trail = await http(`${second.url}/api/approvals/${id}/events`, { headers: intakeHeaders });
        if (trail.body.items.some((e: any) => e.type === 'delivery.attempt' && e.data.kind === 'callback' && e.data.outcome === 'delivered')) undelivered.delete(id);
      });
      if (undelivered.size === 0) break;
      if (Date.now() > deadline) {
        throw new Error(`${undelivered.size} of ${decided.size} decided requests had no delivered callback ${CALLBACK_DEADLINE_MS} ms after the restart (${reproduce}): ${[...undelivered].slice(0, 10).join(', ')}\n${second.output()}`);
      }
      await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
    }
    const answeredOk = (c: ReceivedCallback) => typeof c.reply === 'object' && c.reply.status >= 200 && c.reply.status < 300;
    const neverArrived = [...decided.keys()].filter((id) => !receiver.for(id).some(answeredOk));
    expect(neverArrived, `recorded delivered, yet the receiver never answered 2xx (${reproduce})`).toEqual([]);

    const callbackProblems: string[] = [];
    const byApproval = new Map<string, ReceivedCallback[]>();
    for (const callback of receiver.received) {
      const id = String(callback.json.approvalId);
      byApproval.set(id, [...(byApproval.get(id) ?? []), callback]);
      const check = checkStandardWebhook(CALLBACK_SECRET, callback.headers, callback.body, callback.at);
      if (!check.ok) callbackProblems.push(`${id}: signature: ${check.reason}`);
    }
    /** Arrivals after the first; duplicates: arrivals after a 2xx answer that reached the connection. */
    let repeats = 0;
    let duplicates = 0;
    for (const [id, callbacks] of byApproval) {
      const status = decided.get(id);
      if (!status) {
        callbackProblems.push(`${id}: a callback for a request that is not decided`);
        continue;
      }
      repeats += callbacks.length - 1;
      const completed = callbacks.findIndex((c) => answeredOk(c) && c.answeredAt !== undefined);
      if (completed >= 0) duplicates += callbacks.length - 1 - completed;
      const [original, ...later] = callbacks;
      if (original!.json.status !== callbackStatusOf[status]) callbackProblems.push(`${id}: callback says ${String(original!.json.status)}, the approval is ${status}`);
      for (const repeat of later) {
        if (repeat.headers['webhook-id'] !== original!.headers['webhook-id']) callbackProblems.push(`${id}: a repeat carried webhook-id ${String(repeat.headers['webhook-id'])}, not ${String(original!.headers['webhook-id'])}`);
        if (repeat.json.status !== original!.json.status || repeat.body !== original!.body) callbackProblems.push(`${id}: a repeat carried a different body`);
      }
    }
    expect(callbackProblems, reproduce).toEqual([]);

    const arrivedAfterRestart = receiver.received.filter((c) => c.at >= restartedAt).length;
    const refusedByReceiver = receiver.received.filter((c) => !answeredOk(c)).length;
    const decisionsAcked = decisions.filter((d) => d.outcome === 'acked').length;
    const decisionsUnacked = decisions.filter((d) => d.outcome === 'unacked').length;
    const replayedRetries = retried.filter((r) => r.replayed).length;
    console.log(
      `crash-safety: seed=${SEED} sent=${intakes.length} acknowledged=${acked.length} found=${present.length} lost=${lost} ` +
        `decided=${decided.size} callbacks delivered=${byApproval.size} (duplicates=${duplicates}, repeats=${repeats}) ` +
        `killed after ${killedAfterMs} ms`,
    );
    console.log(
      `crash-safety: decisions sent=${decisions.length} acknowledged=${decisionsAcked} cut off by the kill=${decisionsUnacked}; ` +
        `requests cut off by the kill=${unackedIntakes.length}, retried with their Idempotency-Key: already created=${replayedRetries} created now=${retried.length - replayedRetries}, ` +
        `approvals per key=1 (${listed.length} approvals for ${expectedIds.size} requests)`,
    );
    console.log(
      `crash-safety: callback arrivals=${receiver.received.length} (turned down by the receiver=${refusedByReceiver}, after the restart=${arrivedAfterRestart}), ` +
        `all signed, one webhook-id per approval`,
    );
    // The run must actually have exercised a crash with work in flight.
    expect(acked.length).toBeGreaterThan(0);
    expect(decisionsAcked).toBeGreaterThan(0);
  });
});
