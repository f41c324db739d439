// Chooses the store adapter: MongoDB when MONGODB_URI is set, the embedded SQLite file otherwise.
import path from 'node:path';
import type { Config } from '../config/config';
import type { Store } from '../approvals/ports';
import { SqliteStore } from './sqlite/sqlite-store';

export const SQLITE_FILE = 'countersign.sqlite';

/**
 * `options.processedEventRetentionMs` is the server's (from COUNTERSIGN_EVENT_DEDUP_WINDOW): on
 * MongoDB it sets the TTL of processed-event records. Tools that only use the store leave it unset.
 */
export async function openStore(config: Pick<Config, 'mongodbUri' | 'dataDir' | 'sqliteSynchronous'>, options: { processedEventRetentionMs?: number } = {}): Promise<Store> {
  if (config.mongodbUri) {
    const { MongoStore } = await import('./mongo/mongo-store');
    return new MongoStore(config.mongodbUri, options);
  }
  return new SqliteStore(path.join(config.dataDir, SQLITE_FILE), { synchronous: config.sqliteSynchronous });
}
