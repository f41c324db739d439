// Runs one MongoDB transaction to its end within a deadline: retried whole on transient errors (write
// conflicts, an election), its commit retried while its outcome is unknown, as the drivers' transaction
// specification describes. Written here rather than taken from the driver's session.withTransaction
// because that one retries for a fixed 120 s, and its timeoutMS, which would bound it, has no effect in
// driver 7 (sessions.js: "timeoutMS is a no-op"): a replica set that cannot reach a majority would hold
// every intake and decision for two minutes or more instead of answering 503.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClientSession, mongo } from 'mongoose';

export interface TransactionLimits {
  /** Longest the transaction may take, all its retries included; then its last error is thrown. */
  deadlineMs: number;
  /** Read and write concerns, and maxCommitTimeMS (the server's bound on each commit). */
  options: mongo.TransactionOptions;
}

const TRANSIENT = 'TransientTransactionError';
const UNKNOWN_COMMIT = 'UnknownTransactionCommitResult';
const MAX_TIME_MS_EXPIRED = 50;

export async function runTransaction<T>(
  session: ClientSession,
  work: (session: ClientSession) => Promise<T>,
  limits: TransactionLimits,
  clock: () => number = () => performance.now(),
): Promise<T> {
  const deadline = clock() + limits.deadlineMs;
  for (let attempt = 0; ; attempt++) {
    session.startTransaction(limits.options);
    let result: T;
    try {
      result = await work(session);
    } catch (error) {
      if (session.inTransaction()) await session.abortTransaction();
      if (!hasLabel(error, TRANSIENT)) throw error;
      await backOff(attempt, deadline, clock, error);
      continue;
    }
    const outcome = await commit(session, deadline, clock);
    if (outcome.committed) return result;
    await backOff(attempt, deadline, clock, outcome.error);
  }
}

/** Commits, again while the outcome is unknown; `committed: false` when the whole transaction must run again. */
async function commit(session: ClientSession, deadline: number, clock: () => number): Promise<{ committed: true } | { committed: false; error: unknown }> {
  for (let attempt = 0; ; attempt++) {
    try {
      await session.commitTransaction();
      return { committed: true };
    } catch (error) {
      // A commit that ran out of maxCommitTimeMS is not retried: that bound is the point (the spec agrees).
      if (hasLabel(error, UNKNOWN_COMMIT) && !isMaxTimeExpired(error)) {
        // Paced like reruns, so a commit failing at once does not hammer a struggling primary.
        await backOff(attempt, deadline, clock, error);
        continue;
      }
      if (hasLabel(error, TRANSIENT)) return { committed: false, error };
      throw error;
    }
  }
}

/** The spec's jittered back-off before attempt n+1 (5 ms growing 1.5× to 500 ms); past the deadline, the error. */
async function backOff(attempt: number, deadline: number, clock: () => number, error: unknown): Promise<void> {
  const wait = Math.random() * Math.min(5 * 1.5 ** (attempt + 1), 500);
  if (clock() + wait >= deadline) throw error;
  await sleep(wait);
}

function hasLabel(error: unknown, label: string): boolean {
  const labelled = error as { hasErrorLabel?: (label: string) => boolean } | null;
  return typeof labelled?.hasErrorLabel === 'function' && labelled.hasErrorLabel(label);
}

function isMaxTimeExpired(error: unknown): boolean {
  const { code, writeConcernError } = error as { code?: unknown; writeConcernError?: { code?: unknown } };
  return code === MAX_TIME_MS_EXPIRED || writeConcernError?.code === MAX_TIME_MS_EXPIRED;
}
