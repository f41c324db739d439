// A MongoStore wired to a mongoose connection that never reaches a server (nothing listens on its
// port), with the store's own connection options and models. Every query is built, sanitized and cast
// as in production, then fails before leaving the process: offline tests see what the adapter asks.
import mongoose, { type ClientSession } from 'mongoose';
import { connectionOptions, transactionLimits } from '../../server/src/store/mongo/connection';
import { MongoStore } from '../../server/src/store/mongo/mongo-store';
import { bindModels, type Models } from '../../server/src/store/mongo/models';

export const OFFLINE_URI = 'mongodb://127.0.0.1:9/countersign_offline?serverSelectionTimeoutMS=200';

export interface OfflineMongoStore {
  store: MongoStore;
  models: Models;
  /** What the server's clock (hello's localTime) reads, with the store's clock 'server'. */
  serverTime: number;
  close(): Promise<void>;
}

/** `majorityWaitMs`: the wtimeoutMS the store's connection would have (MONGODB_URI's, or the default). */
export function offlineMongoStore(options: ConstructorParameters<typeof MongoStore>[1] = {}, majorityWaitMs?: number): OfflineMongoStore {
  const store = new MongoStore(OFFLINE_URI, options);
  const connection = mongoose.createConnection(OFFLINE_URI, connectionOptions(OFFLINE_URI));
  connection.asPromise().catch(() => undefined); // it is meant never to connect
  const models = bindModels(connection);
  // The store's connection is private: only offline tests put one in place without opening it, and
  // answer its reading of the server's clock.
  const db = (store as unknown as { db: { opened: unknown; now(callerNow: number): Promise<number> } }).db;
  db.opened = { connection, models, transactions: transactionLimits(majorityWaitMs) };
  const offline: OfflineMongoStore = { store, models, serverTime: Date.now(), close: () => connection.destroy() };
  if (options.clock !== 'caller') db.now = async () => offline.serverTime;
  return offline;
}

/** The error mongoose raises when a query that passed casting would have gone to the server. */
export const NOT_SENT = /before initial connection is complete/;

type DriverMethods = Partial<Record<'findOne' | 'find' | 'distinct' | 'findOneAndUpdate' | 'updateOne' | 'updateMany' | 'insertOne' | 'insertMany' | 'aggregate' | 'countDocuments', (...args: any[]) => unknown>>;

/**
 * Answers the model's driver calls with `methods` instead of the (absent) server. Mongoose still builds,
 * sanitizes and casts each query; the stubs receive exactly what the driver would have sent.
 */
export function answerDriverCalls(model: { collection: object }, methods: DriverMethods): void {
  Object.assign(model.collection, methods);
}

/** A query as BSON would carry it: mongoose's trusted() marker (a symbol key) is not sent. */
export function sentForm<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Lets the store's transactions run on a session that needs no server (its driver calls are stubbed). */
export function sessionsWithoutServer(offline: OfflineMongoStore): void {
  let inTransaction = false;
  const session = {
    startTransaction: () => { inTransaction = true; },
    inTransaction: () => inTransaction,
    commitTransaction: async () => { inTransaction = false; },
    abortTransaction: async () => { inTransaction = false; },
    endSession: async () => undefined,
  } as unknown as ClientSession;
  (offline.store as unknown as { db: { opened: { connection: { startSession: () => Promise<ClientSession> } } } }).db.opened.connection.startSession = async () => session;
}
