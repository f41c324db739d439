import path from 'node:path';
import { SqliteStore } from '../../server/src/store/sqlite/sqlite-store';
import { makeTempDir } from '../support/temp-dir';
import { storeContract } from './store.contract';

storeContract('sqlite', async () => {
  const temp = makeTempDir('sqlite-contract');
  const store = new SqliteStore(path.join(temp.dir, 'countersign.sqlite'));
  await store.init();
  return {
    store,
    cleanup: async () => {
      await store.close();
      temp.remove();
    },
  };
});
