// Runs the store contract against the in-memory store, which the fast unit tests of the approval
// service and the delivery worker stand on.
import { MemoryStore } from '@countersign/server/store/memory';
import { storeContract } from './store.contract';

storeContract('memory', async () => {
  const store = new MemoryStore();
  await store.init();
  return { store, cleanup: () => store.close() };
});
