// Which errors mean "the store cannot answer now, retry shortly" (answered 503 with Retry-After), built
// with the MongoDB driver's own error classes as it throws them during a failover.
import { createRequire } from 'node:module';
import mongoose, { mongo } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { isStoreUnavailable } from '../../server/src/store/store-unavailable';

// The pool's errors are not exported from the driver's entry point; its own module has them.
const cmapErrors = createRequire(import.meta.url)('mongodb/lib/cmap/errors') as {
  PoolClearedError: new (pool: { address: string; serverError?: Error }) => Error;
  WaitQueueTimeoutError: new (message: string, address: string) => Error;
};

const serverError = (code: number, codeName: string, errorLabels: string[] = []) => new mongo.MongoServerError({ ok: 0, code, codeName, errmsg: codeName, errorLabels });

describe('store unavailable', () => {
  it('recognises a primary that stepped down or is not writable, with or without the retryable label', () => {
    for (const error of [
      serverError(10107, 'NotWritablePrimary', ['RetryableWriteError']),
      serverError(10107, 'NotWritablePrimary'),
      serverError(189, 'PrimarySteppedDown'),
      serverError(11602, 'InterruptedDueToReplStateChange'),
      serverError(13435, 'NotPrimaryNoSecondaryOk'),
      serverError(91, 'ShutdownInProgress'),
      serverError(11600, 'InterruptedAtShutdown'),
    ]) expect(isStoreUnavailable(error), error.message).toBe(true);
  });

  it('recognises transient transaction errors and commits of unknown outcome', () => {
    expect(isStoreUnavailable(serverError(112, 'WriteConflict', ['TransientTransactionError']))).toBe(true);
    expect(isStoreUnavailable(serverError(251, 'NoSuchTransaction', ['TransientTransactionError']))).toBe(true);
    const unknownCommit = new mongo.MongoNetworkTimeoutError('connection timed out');
    unknownCommit.addErrorLabel('UnknownTransactionCommitResult');
    expect(isStoreUnavailable(unknownCommit)).toBe(true);
    expect(isStoreUnavailable(serverError(50, 'MaxTimeMSExpired', ['UnknownTransactionCommitResult']))).toBe(true);
  });

  it('recognises write-concern errors of a failover, and time limits', () => {
    const wce = new mongo.MongoWriteConcernError({ ok: 1, writeConcernError: { code: 11602, codeName: 'InterruptedDueToReplStateChange', errmsg: 'operation was interrupted' } } as never);
    expect(isStoreUnavailable(wce)).toBe(true);
    // A write outside a transaction whose majority did not acknowledge it within wtimeoutMS.
    const majorityTimedOut = new mongo.MongoWriteConcernError({ ok: 1, writeConcernError: { code: 64, codeName: 'WriteConcernFailed', errmsg: 'waiting for replication timed out', errInfo: { wtimeout: true } } } as never);
    expect(isStoreUnavailable(majorityTimedOut)).toBe(true);
    expect(isStoreUnavailable(serverError(50, 'MaxTimeMSExpired'))).toBe(true);
    expect(isStoreUnavailable(serverError(262, 'ExceededTimeLimit'))).toBe(true);
  });

  it('recognises the driver\'s unreachable, cleared-pool, pool-wait and closed-client errors', () => {
    for (const error of [
      new mongo.MongoNetworkError('connection reset'),
      new mongo.MongoNetworkTimeoutError('socket timed out'),
      new mongo.MongoServerSelectionError('Server selection timed out after 10000 ms', { type: 'ReplicaSetNoPrimary', servers: new Map() } as never),
      new cmapErrors.PoolClearedError({ address: 'db-1:27017', serverError: new mongo.MongoNetworkError('reset') }),
      new cmapErrors.WaitQueueTimeoutError('Timed out while checking out a connection from connection pool', 'db-1:27017'),
      new mongo.MongoTopologyClosedError(),
      new mongo.MongoNotConnectedError('not connected'),
    ]) expect(isStoreUnavailable(error), error.name).toBe(true);
  });

  it('recognises SQLite busy and locked errors', () => {
    for (const code of ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_TIMEOUT']) expect(isStoreUnavailable(Object.assign(new Error('busy'), { code }))).toBe(true);
  });

  it('does not take bugs, bad input, duplicate keys or write failures of the disk for a passing outage', () => {
    const castError = new mongoose.Error.CastError('String', { $ne: null }, '_id');
    for (const error of [
      serverError(11000, 'DuplicateKey'),
      serverError(2, 'BadValue'),
      serverError(14031, 'OutOfDiskSpace'),
      new mongo.MongoInvalidArgumentError('bad option'),
      castError,
      new TypeError('x is undefined'),
      Object.assign(new Error('full'), { code: 'SQLITE_FULL' }),
      null,
      'MongoNetworkError',
    ]) expect(isStoreUnavailable(error), String(error)).toBe(false);
  });
});
