// Decision-to-callback latency: approvals are created with a callbackUrl pointing at the bench's
// receiver, then decided a few at a time; each sample runs from just before the decision request
// is sent to the moment the receiver has that approval's callback.
import { CountersignClient, type DecisionInput } from '@countersign/shared';
import { CallbackReceiver } from './callback-receiver';
import { inParallel } from './in-parallel';
import { ascending, percentile } from './percentile';
import { SEED_INTAKE_BODY } from './seed-request';

export interface CallbackTarget {
  baseUrl: string;
  intakeKey: string;
  reviewKey: string;
  /** The workspace's whsec_ secret, to verify each callback's signature. */
  callbackSecret: string;
}

export interface CallbackRun {
  approvals: number;
  concurrency: number;
  timeoutMs: number;
}

export interface CallbackLatencyResult {
  approvals: number;
  concurrency: number;
  /** Callbacks that arrived for a decision we made, and so have a latency. */
  measured: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Time for the decision request itself to be answered. */
  decisionP50Ms: number;
  decisionP99Ms: number;
  received: number;
  signatureFailures: number;
  /** Decisions whose callback never came within the timeout. */
  missing: number;
  duplicates: number;
  malformed: number;
  /** Callbacks whose status is not the decision made (APPROVED for approve, REJECTED for reject). */
  wrongStatus: number;
  /** Decision requests that failed (non-2xx or network error). */
  decisionErrors: number;
}

const CREATE_CONCURRENCY = 8;

export async function measureCallbackLatency(target: CallbackTarget, run: CallbackRun): Promise<CallbackLatencyResult> {
  const receiver = await CallbackReceiver.start(target.callbackSecret);
  try {
    const client = new CountersignClient({ baseUrl: target.baseUrl, intakeKey: target.intakeKey, reviewKey: target.reviewKey });
    const ids = await createApprovals(client, receiver.url, run.approvals);

    const latencies: number[] = [];
    const decisionTimes: number[] = [];
    let missing = 0;
    let wrongStatus = 0;
    let decisionErrors = 0;
    await inParallel(ids, run.concurrency, async (approvalId, index) => {
      const decision: DecisionInput['decision'] = index % 2 === 0 ? 'approve' : 'reject';
      const arrival = receiver.expect(approvalId, run.timeoutMs);
      arrival.catch(() => undefined); // handled below, after the decision request
      const sentAt = performance.now();
      try {
        // The bench's review key is the bootstrap key, the admin's personal key: it decides as Admin.
        await client.decide(approvalId, { decision, note: 'bench decision' });
        decisionTimes.push(performance.now() - sentAt);
      } catch {
        decisionErrors++;
      }
      try {
        const callback = await arrival;
        latencies.push(callback.receivedAt - sentAt);
        if (callback.status !== (decision === 'approve' ? 'APPROVED' : 'REJECTED')) wrongStatus++;
      } catch {
        missing++;
      }
    });

    const callbackMs = ascending(latencies);
    const decisionMs = ascending(decisionTimes);
    return {
      approvals: run.approvals,
      concurrency: run.concurrency,
      measured: latencies.length,
      p50Ms: percentile(callbackMs, 50),
      p99Ms: percentile(callbackMs, 99),
      maxMs: percentile(callbackMs, 100),
      decisionP50Ms: percentile(decisionMs, 50),
      decisionP99Ms: percentile(decisionMs, 99),
      received: receiver.received,
      signatureFailures: receiver.signatureFailures,
      missing,
      duplicates: receiver.duplicates,
      malformed: receiver.malformed,
      wrongStatus,
      decisionErrors,
    };
  } finally {
    await receiver.close();
  }
}

async function createApprovals(client: CountersignClient, callbackUrl: string, count: number): Promise<string[]> {
  const ids: string[] = new Array(count);
  await inParallel([...Array(count).keys()], CREATE_CONCURRENCY, async (i) => {
    const { approval } = await client.createApproval({ ...SEED_INTAKE_BODY, callbackUrl });
    ids[i] = approval.approvalId;
  });
  return ids;
}
