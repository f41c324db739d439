// A MongoStore on its own database of the server MONGODB_URI names, dropped afterwards (the MongoDB
// suites: test/contract/mongo-store.test.ts and mongo-adapter.test.ts).
import { randomBytes } from 'node:crypto';
import mongoose, { type mongo } from 'mongoose';
import { MongoStore } from '@countersign/server/store/mongo';
import type { Models } from '@countersign/server/store/mongo';
import { withDatabase } from './mongo-database-uri';

export const MONGODB_URI = process.env.MONGODB_URI;
export const MONGO_SKIP_REASON = 'MONGODB_URI is not set (MongoDB cannot be installed on this machine); set it to a replica set to run this suite';

export interface MongoTestStore {
  store: MongoStore;
  /** The URI of the store's database, for a second instance on it. */
  uri: string;
  /** The store's own models and database, which only these suites reach into. */
  models: Models;
  db: mongo.Db;
  cleanup(): Promise<void>;
}

export async function openMongoTestStore(uri: string, options: ConstructorParameters<typeof MongoStore>[1] = {}): Promise<MongoTestStore> {
  const name = `countersign_test_${randomBytes(4).toString('hex')}`;
  const databaseUri = withDatabase(uri, name);
  const store = new MongoStore(databaseUri, options);
  await store.init();
  const connection = (store as unknown as { db: { models: Models; database(): mongo.Db } }).db;
  return {
    store,
    uri: databaseUri,
    models: connection.models,
    db: connection.database(),
    cleanup: async () => {
      await store.close();
      const admin = await mongoose.createConnection(withDatabase(uri, name)).asPromise();
      await admin.dropDatabase();
      await admin.destroy();
    },
  };
}

/** Every plan stage in an explain's winning plan (classic and slot-based engines lay it out differently). */
export function planStages(explain: unknown): Array<{ stage: string; indexName?: string }> {
  const found: Array<{ stage: string; indexName?: string }> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (typeof record.stage === 'string') found.push({ stage: record.stage, indexName: record.indexName as string | undefined });
    for (const value of Object.values(record)) walk(value);
  };
  walk((explain as { queryPlanner?: { winningPlan?: unknown } }).queryPlanner?.winningPlan);
  return found;
}

/** The commands the store's client sends while watched (its `monitorCommands` option must be on). */
export function watchCommands(db: mongo.Db): { seen: mongo.CommandStartedEvent[]; stop(): void } {
  const seen: mongo.CommandStartedEvent[] = [];
  const listener = (event: mongo.CommandStartedEvent) => seen.push(event);
  db.client.on('commandStarted', listener);
  return { seen, stop: () => db.client.off('commandStarted', listener) };
}

/**
 * Turns on the server's failCommand fail point (a test command: mongod needs
 * --setParameter enableTestCommands=1); answers how to turn it off, or null where the server refuses.
 */
export async function failCommand(db: mongo.Db, data: Record<string, unknown>): Promise<(() => Promise<void>) | null> {
  try {
    await db.admin().command({ configureFailPoint: 'failCommand', mode: 'alwaysOn', data });
  } catch {
    return null;
  }
  return async () => {
    await db.admin().command({ configureFailPoint: 'failCommand', mode: 'off' });
  };
}

export const FAIL_POINTS_UNAVAILABLE = 'the server refuses configureFailPoint (start mongod with --setParameter enableTestCommands=1 to run this test)';

/** Fields of a sent command that belong to the session or the wire, not to the query explain() plans. */
const NOT_PLANNED = new Set(['lsid', 'txnNumber', 'autocommit', 'startTransaction', 'readConcern', 'writeConcern', 'apiVersion', 'apiStrict', 'apiDeprecationErrors']);

export interface ExplainedCommand {
  command: string;
  stages: Array<{ stage: string; indexName?: string }>;
  /** The most index keys and documents any stage of the plan examined. */
  keysExamined: number;
  docsExamined: number;
}

/** Runs explain (executionStats) on a command the store sent, as it was sent. */
export async function explainSent(db: mongo.Db, event: mongo.CommandStartedEvent): Promise<ExplainedCommand> {
  const planned = Object.fromEntries(Object.entries(event.command).filter(([name]) => !name.startsWith('$') && !NOT_PLANNED.has(name)));
  const explain = await db.command({ explain: planned, verbosity: 'executionStats' });
  const most = (field: string) => {
    let found = 0;
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (typeof node !== 'object' || node === null) return;
      for (const [name, value] of Object.entries(node)) {
        if (name === field && typeof value === 'number') found = Math.max(found, value);
        else walk(value);
      }
    };
    walk(explain);
    return found;
  };
  const stages = planStages(explain).length > 0 ? planStages(explain) : planStages((explain as { stages?: Array<{ $cursor?: unknown }> }).stages?.[0]?.$cursor);
  return { command: event.commandName, stages, keysExamined: most('totalKeysExamined'), docsExamined: most('totalDocsExamined') };
}
