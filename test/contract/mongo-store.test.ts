// Runs the store contract against MongoDB whenever MONGODB_URI is set (it must be a replica set).
import { describe, it } from 'vitest';
import { MONGO_SKIP_REASON, MONGODB_URI, openMongoTestStore } from '../support/mongo-test-store';
import { storeContract } from './store.contract';

const uri = MONGODB_URI;

if (uri) {
  // The contract is written in logical time (fixed moments in the past): the store takes the caller's
  // clock. Its own, the server's, is proven in mongo-adapter.test.ts.
  storeContract('mongo', () => openMongoTestStore(uri, { clock: 'caller' }));
} else {
  console.warn(`[mongo store contract] skipped: ${MONGO_SKIP_REASON}`);
  describe('mongo store contract', () => {
    it.skip(`skipped: ${MONGO_SKIP_REASON}`, () => {});
  });
}
