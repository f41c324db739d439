// Runs the store contract against MongoDB whenever MONGODB_URI is set (it must be a replica set).
import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import mongoose from 'mongoose';
import { MongoStore } from '../../server/src/store/mongo/mongo-store';
import { withDatabase } from '../support/mongo-database-uri';
import { storeContract } from './store.contract';

const uri = process.env.MONGODB_URI;

if (uri) {
  storeContract('mongo', async () => {
    // The same server, a fresh database per test, dropped afterwards.
    const database = `countersign_contract_${randomBytes(4).toString('hex')}`;
    const store = new MongoStore(withDatabase(uri, database));
    await store.init();
    return {
      store,
      cleanup: async () => {
        await store.close();
        const connection = await mongoose.createConnection(withDatabase(uri, database)).asPromise();
        await connection.dropDatabase();
        await connection.close();
      },
    };
  });
} else {
  const reason = 'MONGODB_URI is not set (MongoDB cannot be installed on this machine); set it to a replica set to run this suite';
  console.warn(`[mongo store contract] skipped: ${reason}`);
  describe('mongo store contract', () => {
    it.skip(`skipped: ${reason}`, () => {});
  });
}
