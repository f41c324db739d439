// Bounded MongoDB transactions and majority concerns, without a server: a fake session plays the
// driver's part, failing its commits with the driver's own error classes, and a fake clock stands for
// the time each attempt takes.
import { mongo, type ClientSession } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { connectionOptions, STORE_BOUNDS, transactionLimits } from '../../server/src/store/mongo/connection';
import { runTransaction } from '../../server/src/store/mongo/transaction-runner';
import { isStoreUnavailable } from '../../server/src/store/store-unavailable';
import { offlineMongoStore } from '../support/offline-mongo-store';

interface FakeSession {
  session: ClientSession;
  started: unknown[];
  commits: number;
  aborts: number;
  ended: number;
}

/** A session whose commits fail with `commitError(n)` (n from 1) until it answers undefined. */
function fakeSession(commitError: (n: number) => Error | undefined, onCommit: () => void = () => undefined): FakeSession {
  const state: FakeSession = { session: null as never, started: [], commits: 0, aborts: 0, ended: 0 };
  let inTransaction = false;
  state.session = {
    startTransaction: (options: unknown) => { state.started.push(options); inTransaction = true; },
    inTransaction: () => inTransaction,
    abortTransaction: async () => { state.aborts++; inTransaction = false; },
    commitTransaction: async () => {
      state.commits++;
      onCommit();
      const error = commitError(state.commits);
      if (error) throw error;
      inTransaction = false;
    },
    endSession: async () => { state.ended++; },
  } as unknown as ClientSession;
  return state;
}

const labelled = <T extends mongo.MongoError>(error: T, ...labels: string[]): T => {
  for (const label of labels) error.addErrorLabel(label);
  return error;
};
/** What a commit answers when the majority did not acknowledge it within wtimeoutMS. */
const majorityTimeout = () => labelled(new mongo.MongoWriteConcernError({ ok: 1, writeConcernError: { code: 64, codeName: 'WriteConcernFailed', errmsg: 'waiting for replication timed out', errInfo: { wtimeout: true } } } as never), 'UnknownTransactionCommitResult');

describe('bounded mongo transactions', () => {
  it('retries a commit of unknown outcome, and gives up with its error at the deadline', async () => {
    let now = 0;
    // Each commit waits out its majority timeout before failing.
    const fake = fakeSession(() => majorityTimeout(), () => (now += STORE_BOUNDS.majorityWaitMs));
    const outcome = runTransaction(fake.session, async () => 'written', transactionLimits(), () => now);
    const error = await outcome.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(mongo.MongoWriteConcernError);
    expect(isStoreUnavailable(error)).toBe(true);
    expect(fake.commits).toBe(Math.ceil(STORE_BOUNDS.transactionMs / STORE_BOUNDS.majorityWaitMs));
    expect(fake.started).toHaveLength(1);
  });

  it('does not retry a commit that ran out of maxCommitTimeMS', async () => {
    const expired = labelled(new mongo.MongoServerError({ ok: 0, code: 50, codeName: 'MaxTimeMSExpired', errmsg: 'operation exceeded time limit' }), 'UnknownTransactionCommitResult');
    const fake = fakeSession(() => expired);
    await expect(runTransaction(fake.session, async () => 1, transactionLimits())).rejects.toBe(expired);
    expect(fake.commits).toBe(1);
  });

  it('runs the work again after a transient error, then commits once', async () => {
    const fake = fakeSession(() => undefined);
    let runs = 0;
    const result = await runTransaction(fake.session, async () => {
      runs++;
      if (runs < 3) throw labelled(new mongo.MongoServerError({ ok: 0, code: 112, codeName: 'WriteConflict', errmsg: 'write conflict' }), 'TransientTransactionError');
      return 'done';
    }, transactionLimits());
    expect(result).toBe('done');
    expect({ runs, aborts: fake.aborts, commits: fake.commits }).toEqual({ runs: 3, aborts: 2, commits: 1 });
  });

  it('stops rerunning transient failures at the deadline', async () => {
    let now = 0;
    const fake = fakeSession(() => undefined);
    const conflict = () => labelled(new mongo.MongoServerError({ ok: 0, code: 112, codeName: 'WriteConflict', errmsg: 'write conflict' }), 'TransientTransactionError');
    const error = await runTransaction(fake.session, async () => { now += 1000; throw conflict(); }, transactionLimits(), () => now).catch((e: unknown) => e);
    expect((error as mongo.MongoServerError).code).toBe(112);
    expect(fake.started.length).toBeLessThanOrEqual(STORE_BOUNDS.transactionMs / 1000 + 1);
  });

  it('aborts and throws at once an error that is not transient (a duplicate key, a bug)', async () => {
    const fake = fakeSession(() => undefined);
    const duplicate = new mongo.MongoServerError({ ok: 0, code: 11000, codeName: 'DuplicateKey', errmsg: 'E11000 duplicate key error' });
    await expect(runTransaction(fake.session, async () => { throw duplicate; }, transactionLimits())).rejects.toBe(duplicate);
    expect({ started: fake.started.length, aborts: fake.aborts, commits: fake.commits }).toEqual({ started: 1, aborts: 1, commits: 0 });
  });

  it('starts the store\'s transactions with snapshot reads, majority commits, wtimeoutMS and maxCommitTimeMS, and ends the session', async () => {
    const offline = offlineMongoStore();
    const fake = fakeSession(() => undefined);
    const connection = (offline.store as unknown as { db: { opened: { connection: { startSession: () => Promise<ClientSession> } }; transaction: <T>(work: () => Promise<T>) => Promise<T> } }).db;
    connection.opened.connection.startSession = async () => fake.session;
    try {
      expect(await connection.transaction(async () => 'ok')).toBe('ok');
      expect(fake.started).toEqual([
        { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority', wtimeoutMS: STORE_BOUNDS.majorityWaitMs }, maxCommitTimeMS: STORE_BOUNDS.commitMs },
      ]);
      expect(fake.ended).toBe(1);
    } finally {
      await offline.close();
    }
  });
});

describe('mongo connection concerns and bounds', () => {
  /** The options as the driver resolves them from the URI and the store's options (mongoose keeps its own four). */
  async function clientOptions(uri: string) {
    const { bufferCommands, autoIndex, autoCreate, sanitizeFilter, ...driverOptions } = connectionOptions(uri);
    expect({ bufferCommands, autoIndex, autoCreate, sanitizeFilter }).toEqual({ bufferCommands: false, autoIndex: false, autoCreate: false, sanitizeFilter: true });
    return new mongo.MongoClient(uri, driverOptions).options; // parsed, never connected
  }

  it('reads with majority and writes with majority within a bounded wait, and bounds server selection, pool waits and sockets', async () => {
    const options = await clientOptions('mongodb://127.0.0.1:9/countersign');
    expect(options.readConcern?.level).toBe('majority');
    expect(options.writeConcern).toMatchObject({ w: 'majority', wtimeoutMS: STORE_BOUNDS.majorityWaitMs });
    expect(options).toMatchObject({ serverSelectionTimeoutMS: 10_000, waitQueueTimeoutMS: 10_000, socketTimeoutMS: 30_000 });
  });

  it('keeps the bounds MONGODB_URI sets, but never a weaker w than majority', async () => {
    const options = await clientOptions('mongodb://127.0.0.1:9/countersign?w=1&wtimeoutMS=777&socketTimeoutMS=60000&serverSelectionTimeoutMS=2000');
    expect(options.writeConcern).toMatchObject({ w: 'majority', wtimeoutMS: 777 });
    expect(options).toMatchObject({ socketTimeoutMS: 60_000, serverSelectionTimeoutMS: 2000, waitQueueTimeoutMS: 10_000 });
  });
});
