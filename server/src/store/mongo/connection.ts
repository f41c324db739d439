// The MongoDB connection every port of the scale-out store shares: its models, and transactions.
// Writes that must be atomic (create with its event, a transition with its outbox rows, an attempt's
// outcome with its event) run in multi-document transactions, so the server must be a replica set
// or a sharded cluster. Single-document races (delivery claims, event-id claims, idempotency keys)
// are settled by atomic findOneAndUpdate and unique indexes.
import mongoose, { type ClientSession, type Connection, type ConnectOptions, type mongo } from 'mongoose';
import { AppError } from '../../approvals/errors';
import { bindModels, prepareCollections, syncProcessedEventTtl, type Models } from './models';

export const REPLICA_SET_REQUIRED =
  'MongoDB at MONGODB_URI must be a replica set (transactions are required); for a single node start mongod with --replSet rs0 and run rs.initiate()';
export const WRITABLE_PRIMARY_REQUIRED =
  'MongoDB at MONGODB_URI answered from a member that is not the writable primary (a secondary, an arbiter, or a direct connection to one); point it at the replica set, e.g. mongodb://host1,host2,host3/countersign?replicaSet=rs0';

/**
 * bufferCommands: false makes a call on a lost connection fail through the driver's own server
 * selection timeout instead of queueing in mongoose; indexes are built by init, not in the background.
 * sanitizeFilter: every object in a query filter that holds an operator is compared as a value ($eq),
 * so an id or a key taken from a request can never act as an operator ({"$ne": null} matches
 * nothing); the adapter marks its own operators with mongoose's trusted().
 */
export function connectionOptions(): ConnectOptions {
  return { bufferCommands: false, autoIndex: false, autoCreate: false, sanitizeFilter: true };
}

// Snapshot reads so a transaction's checks and writes see one state; majority commits so an
// acknowledged decision survives a primary failover.
const TRANSACTION_OPTIONS: mongo.TransactionOptions = { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } };

const DUPLICATE_KEY = 11000;

interface OpenConnection {
  connection: Connection;
  models: Models;
}

export class MongoConnection {
  // A private field: the URI may hold a password and must not show up when the store is inspected or logged.
  readonly #uri: string;
  private opened: OpenConnection | null = null;

  constructor(uri: string, private readonly options: { processedEventRetentionMs?: number }) {
    this.#uri = uri;
  }
  async open(): Promise<void> {
    const connection = mongoose.createConnection(this.#uri, connectionOptions());
    try {
      await connection.asPromise();
      await requireTransactions(database(connection));
      const models = bindModels(connection);
      await prepareCollections(models);
      const retention = this.options.processedEventRetentionMs;
      await syncProcessedEventTtl(database(connection), retention === undefined ? undefined : Math.ceil(retention / 1000));
      this.opened = { connection, models };
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
  /** Runs `work` in a transaction; the driver retries it whole on transient errors (write conflicts). */
  async transaction<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = await this.current().connection.startSession();
    try {
      return await session.withTransaction(work, TRANSACTION_OPTIONS);
    } finally {
      await session.endSession();
    }
  }
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
