// Chooses the store adapter: MongoDB when MONGODB_URI is set, the embedded SQLite file otherwise.
import path from 'node:path';
import type { Config } from '../config';
import type { Store } from './port';
import { SqliteStore } from './sqlite/sqlite-store';

export const SQLITE_FILE = 'countersign.sqlite';

export async function openStore(config: Pick<Config, 'mongodbUri' | 'dataDir' | 'sqliteSynchronous'>): Promise<Store> {
  if (config.mongodbUri) {
    const { MongoStore } = await import('./mongo/mongo-store');
    return new MongoStore(config.mongodbUri);
  }
  return new SqliteStore(path.join(config.dataDir, SQLITE_FILE), { synchronous: config.sqliteSynchronous });
}
