// The MongoDB connection every port of the scale-out store shares: its models, and transactions.
// Writes that must be atomic (create with its event, a transition with its outbox rows, an attempt's
// outcome with its event) run in multi-document transactions, so the server must be a replica set
// or a sharded cluster. Single-document races (delivery claims, event-id claims, idempotency keys)
// are settled by atomic findOneAndUpdate and unique indexes.
import mongoose, { type ClientSession, type Connection, type ConnectOptions, type mongo } from 'mongoose';
import ConnectionString from 'mongodb-connection-string-url';
import { AppError } from '../../approvals/errors';
import { bindModels, prepareCollections, syncProcessedEventTtl, type Models } from './models';
import { runTransaction, type TransactionLimits } from './transaction-runner';

export const REPLICA_SET_REQUIRED =
  'MongoDB at MONGODB_URI must be a replica set (transactions are required); for a single node start mongod with --replSet rs0 and run rs.initiate()';
export const WRITABLE_PRIMARY_REQUIRED =
  'MongoDB at MONGODB_URI answered from a member that is not the writable primary (a secondary, an arbiter, or a direct connection to one); point it at the replica set, e.g. mongodb://host1,host2,host3/countersign?replicaSet=rs0';

/**
 * How long the store may take, so that a replica set that cannot reach a majority, or a primary that
 * stopped answering, makes intake and decisions answer 503 (store-unavailable.ts) instead of hanging.
 * The driver bounds nothing by default: it waits for a majority forever, and a socket forever.
 */
export const STORE_BOUNDS = {
  /** wtimeoutMS of every write: its wait for a majority of the replica set to acknowledge it. */
  majorityWaitMs: 5000,
  /** maxCommitTimeMS: the server's bound on one commit of a transaction. */
  commitMs: 5000,
  /** A transaction with all its retries (conflicts, an election, commits of unknown outcome). */
  transactionMs: 10_000,
} as const;

/**
 * Bounds of the connection itself, each applied unless MONGODB_URI sets its own: finding a primary
 * (30 s by default), waiting for a pooled connection (unbounded by default) and for any one reply on a
 * socket (unbounded by default; longer than any bounded operation, so it only cuts a dead one).
 */
const CONNECTION_BOUNDS = { serverSelectionTimeoutMS: 10_000, waitQueueTimeoutMS: 10_000, socketTimeoutMS: 30_000 } as const;

/**
 * The options of the store's connection.
 * - bufferCommands: false makes a call on a lost connection fail through the driver's server selection
 *   instead of queueing in mongoose; indexes are built by init, not in the background.
 * - sanitizeFilter: every object in a query filter that holds an operator is compared as a value ($eq),
 *   so an id or a key taken from a request can never act as an operator ({"$ne": null} matches
 *   nothing); the adapter marks its own operators with mongoose's trusted().
 * - readConcern majority: a read outside a transaction sees only what a majority of the replica set
 *   holds, so a waiter released, a poll answered or a delivery claimed never rests on a decision that
 *   a failover then rolls back (transactions read their own snapshot).
 * - writeConcern majority, bounded: an acknowledged write survives a failover. MONGODB_URI cannot lower
 *   `w` (this object wins over it), but its `wtimeoutMS` is honoured.
 */
export function connectionOptions(uri?: string, extra: { monitorCommands?: boolean } = {}): ConnectOptions {
  const given = uri === undefined ? new Set<string>() : uriOptionNames(uri);
  const bounds = Object.fromEntries(Object.entries(CONNECTION_BOUNDS).filter(([name]) => !given.has(name.toLowerCase())));
  const majorityWait = given.has('wtimeoutms') || given.has('wtimeout') ? {} : { wtimeoutMS: STORE_BOUNDS.majorityWaitMs };
  return {
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
    sanitizeFilter: true,
    readConcern: { level: 'majority' },
    writeConcern: { w: 'majority', ...majorityWait },
    ...bounds,
    ...extra,
  };
}

/** The option names a connection string sets, lower-cased (the driver reads them case-insensitively). */
function uriOptionNames(uri: string): Set<string> {
  return new Set([...new ConnectionString(uri).searchParams.keys()].map((name) => name.toLowerCase()));
}

const DUPLICATE_KEY = 11000;

interface OpenConnection {
  connection: Connection;
  models: Models;
  transactions: TransactionLimits;
}

/**
 * Whose clock decides who may act when: lease ends, due times, expiry.
 * - 'server' (the default): the MongoDB server's ($$NOW in updates, hello's localTime for reads), so
 *   instances whose clocks disagree can neither take over each other's live leases nor expire approvals
 *   early; the `now` a caller passes only anchors the durations it asks for (a lease, a retry delay).
 * - 'caller': the `now` each call passes, as on SQLite. For one clock: suites written in logical time.
 */
export type StoreClock = 'server' | 'caller';

export interface MongoConnectionOptions {
  processedEventRetentionMs?: number;
  clock?: StoreClock;
  /** Emit the driver's command events (diagnostics; the MongoDB suites watch what the adapter sends). */
  monitorCommands?: boolean;
}

export class MongoConnection {
  // A private field: the URI may hold a password and must not show up when the store is inspected or logged.
  readonly #uri: string;
  private opened: OpenConnection | null = null;

  constructor(uri: string, private readonly options: MongoConnectionOptions) {
    this.#uri = uri;
  }
  async open(): Promise<void> {
    const connection = mongoose.createConnection(this.#uri, connectionOptions(this.#uri, { monitorCommands: this.options.monitorCommands }));
    try {
      await connection.asPromise();
      await requireTransactions(database(connection));
      const models = bindModels(connection);
      await prepareCollections(models);
      const retention = this.options.processedEventRetentionMs;
      await syncProcessedEventTtl(database(connection), retention === undefined ? undefined : Math.ceil(retention / 1000));
      this.opened = { connection, models, transactions: transactionLimits(connection.getClient().options.writeConcern?.wtimeoutMS) };
    } catch (error) {
      await connection.destroy().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = null;
    // destroy, not close: it also drops the connection from mongoose's list, and a store never reopens one.
    await opened?.connection.destroy();
  }
  /** The database, for commands outside the models (ping). */
  database(): mongo.Db {
    return database(this.current().connection);
  }
  private current(): OpenConnection {
    if (!this.opened) throw new AppError('unavailable', 'store_closed', 'The store is not open.');
    return this.opened;
  }
  get models(): Models {
    return this.current().models;
  }
  /** How long a write may wait for a majority to acknowledge it (MONGODB_URI's wtimeoutMS, or STORE_BOUNDS'). */
  get majorityWaitMs(): number {
    return this.current().transactions.options.writeConcern?.wtimeoutMS ?? STORE_BOUNDS.majorityWaitMs;
  }

  /**
   * The store's "now" inside an operation, as an aggregation expression in epoch ms: the server's $$NOW
   * (needs MongoDB 4.2), or the caller's `now`. A fresh object each time (mongoose casts it in place).
   */
  nowExpression(callerNow: number): Record<string, unknown> {
    return this.options.clock === 'caller' ? { $literal: callerNow } : { $toLong: '$$NOW' };
  }

  /** The store's "now" as a number, for reads whose index bounds need one: the server's clock, or the caller's `now`. */
  async now(callerNow: number): Promise<number> {
    if (this.options.clock === 'caller') return callerNow;
    const hello = await this.database().admin().command({ hello: 1 });
    return (hello.localTime as Date).getTime();
  }
  /**
   * Runs `work` in a transaction, again whole on transient errors (write conflicts, an election), for
   * at most STORE_BOUNDS.transactionMs (transaction-runner.ts).
   */
  async transaction<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
    const { connection, transactions } = this.current();
    const session = await connection.startSession();
    try {
      return await runTransaction(session, work, transactions);
    } finally {
      await session.endSession();
    }
  }
}

/**
 * Snapshot reads so a transaction's checks and writes see one state; majority commits, so an
 * acknowledged decision survives a failover, waiting for the majority as long as other writes do
 * (MONGODB_URI's wtimeoutMS, if it sets one).
 */
export function transactionLimits(majorityWaitMs: number = STORE_BOUNDS.majorityWaitMs): TransactionLimits {
  return {
    deadlineMs: STORE_BOUNDS.transactionMs,
    options: { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority', wtimeoutMS: majorityWaitMs }, maxCommitTimeMS: STORE_BOUNDS.commitMs },
  };
}

function database(connection: Connection): mongo.Db {
  if (!connection.db) throw new AppError('unavailable', 'store_closed', 'The MongoDB connection is not open.');
  return connection.db;
}

/**
 * Transactions exist only on replica sets and sharded clusters (mongos answers msg 'isdbgrid'), and
 * writes only on the primary: a URI that reaches a secondary directly would fail every write later.
 */
export async function requireTransactions(db: Pick<mongo.Db, 'admin'>): Promise<void> {
  const hello = await db.admin().command({ hello: 1 });
  if (typeof hello.setName !== 'string' && hello.msg !== 'isdbgrid') throw new Error(REPLICA_SET_REQUIRED);
  if (hello.isWritablePrimary !== true) throw new Error(WRITABLE_PRIMARY_REQUIRED);
}

/** A unique-index violation, optionally only on the named index (MongoServerError and bulk write errors alike). */
export function isDuplicateKey(error: unknown, index?: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== DUPLICATE_KEY) return false;
  return index === undefined || (typeof message === 'string' && message.includes(`index: ${index} `));
}
