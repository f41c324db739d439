// Child process for the multi-process lease test: claims deliveries from a SQLite file in small
// batches until none are left, then prints the ids it got.
import { SqliteStore } from '@countersign/server/store/sqlite';

const [file, owner] = process.argv.slice(2) as [string, string];
const store = new SqliteStore(file);
await store.init();
const got: string[] = [];
let idle = 0;
while (idle < 20) {
  const claimed = await store.outbox.claim({ now: Date.now(), owner, leaseMs: 600_000, limit: 3 });
  got.push(...claimed.map((d) => d.id));
  idle = claimed.length === 0 ? idle + 1 : 0;
  await new Promise((r) => setTimeout(r, claimed.length === 0 ? 10 : 0));
}
await store.close();
process.stdout.write(JSON.stringify(got));
