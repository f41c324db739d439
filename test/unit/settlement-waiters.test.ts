// Waiters on one instance, released by settlements taken on another. The recent-settlements poll goes
// by the time the deciding instance stamped before its transaction; a commit that lands later than the
// poll looks back (retries, an election, a slow majority) must still release its waiters.
import { describe, expect, it } from 'vitest';
import { SettlementWaiters } from '@countersign/server/approvals';

/** A store whose settlements all committed too late for the look-back window: only a look-up by id finds them. */
function lateCommits() {
  const settled = new Set<string>();
  const lookups: string[][] = [];
  const approvals = {
    listSettledSince: async () => [] as string[],
    listSettledAmong: async (ids: string[]) => (lookups.push(ids), ids.filter((id) => settled.has(id))),
  };
  return { approvals, settled, lookups };
}

describe('settlement waiters', () => {
  it('releases a waiter whose approval settled on another instance by a commit later than the poll\'s look-back', async () => {
    let now = 1_000_000;
    const store = lateCommits();
    const waiters = new SettlementWaiters(store, () => now);
    const { settled } = waiters.wait('apr_1', 2000);
    store.settled.add('apr_1');
    now += 3000;
    await waiters.poll();
    expect(await settled).toBe('settled');
  });

  it('looks waiters up by id only every few seconds, in batches, and not at all when nobody waits', async () => {
    let now = 1_000_000;
    const store = lateCommits();
    const waiters = new SettlementWaiters(store, () => now);
    await waiters.poll();
    expect(store.lookups).toEqual([]);
    const waits = Array.from({ length: 1200 }, (_, i) => waiters.wait(`apr_${i}`, 5000));
    now += 250;
    await waiters.poll();
    expect(store.lookups).toEqual([]);
    for (let i = 0; i < 1200; i++) store.settled.add(`apr_${i}`);
    now += 2000;
    await waiters.poll();
    expect(store.lookups.map((ids) => ids.length)).toEqual([500, 500, 200]);
    expect(new Set(await Promise.all(waits.map((w) => w.settled)))).toEqual(new Set(['settled']));
    expect(waiters.size).toBe(0);
  });

  it('still serves a store without the look-up by id, through recent settlements alone', async () => {
    let now = 1_000_000;
    const recent: string[] = [];
    const waiters = new SettlementWaiters({ approvals: { listSettledSince: async () => recent } }, () => now);
    const { settled } = waiters.wait('apr_1', 2000);
    recent.push('apr_1');
    now += 3000;
    await waiters.poll();
    expect(await settled).toBe('settled');
  });
});
