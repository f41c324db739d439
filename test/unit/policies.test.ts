// The Policies service over the in-memory store: the policy in force (version 0 until one is set),
// versions set with a compare-and-set, the short cache another instance's change waits out, and the
// same document object while a version stays in force (its rules stay compiled).
import { beforeEach, describe, expect, it } from 'vitest';
import { PolicyDocument } from '@countersign/shared';
import { Policies, POLICY_CACHE_MS } from '@countersign/server/approvals';
import { MemoryStore } from '@countersign/server/store/memory';

const T0 = 1_790_000_000_000;
const ONE_RULE = PolicyDocument.parse({ rules: [{ id: 'all', then: { approvals: 2 } }] });
const TWO_RULES = PolicyDocument.parse({ rules: [{ id: 'small', when: { details: [{ path: 'amount', lte: 20 }] }, then: { decide: 'approve' } }, { id: 'all', then: {} }] });

describe('policies', () => {
  let now: number;
  let store: MemoryStore;
  let policies: Policies;
  beforeEach(async () => {
    now = T0;
    store = new MemoryStore();
    await store.init();
    policies = new Policies(store, () => now);
  });

  it('answers the empty policy, version 0, for a workspace that has none', async () => {
    expect(await policies.current('ws_1')).toEqual({ version: 0, updatedAt: null, document: { rules: [] }, setBy: null });
  });

  it('stores each document as the next version and puts it in force at once on this instance', async () => {
    expect(await policies.set('ws_1', ONE_RULE, 'key_admin')).toMatchObject({ version: 1, updatedAt: T0, setBy: 'key_admin' });
    now += 10;
    expect(await policies.set('ws_1', TWO_RULES, 'cli')).toMatchObject({ version: 2, document: TWO_RULES });
    expect(await policies.current('ws_1')).toMatchObject({ version: 2, document: TWO_RULES });
    expect((await store.policies.get('ws_1', 1))?.document).toEqual(ONE_RULE);
  });

  it('sees another instance’s change once its cache has expired, and not before', async () => {
    await policies.current('ws_1');
    await new Policies(store, () => now).set('ws_1', ONE_RULE, 'elsewhere');
    now += POLICY_CACHE_MS - 1;
    expect((await policies.current('ws_1')).version).toBe(0);
    now += 1;
    expect((await policies.current('ws_1')).version).toBe(1);
  });

  it('hands out the same document object while its version stays in force, and a new one after a change', async () => {
    await policies.set('ws_1', ONE_RULE, 'key_admin');
    const first = await policies.current('ws_1');
    now += POLICY_CACHE_MS * 3;
    const refreshed = await policies.current('ws_1');
    expect(refreshed.document).toBe(first.document);
    await new Policies(store, () => now).set('ws_1', TWO_RULES, 'elsewhere');
    now += POLICY_CACHE_MS;
    const changed = await policies.current('ws_1');
    expect(changed.version).toBe(2);
    expect(changed.document).not.toBe(first.document);
    expect(changed.document).toEqual(TWO_RULES);
  });

  it('keeps version counting when two instances set a policy at the same moment', async () => {
    const other = new Policies(store, () => now);
    const [a, b] = await Promise.all([policies.set('ws_1', ONE_RULE, 'a'), other.set('ws_1', TWO_RULES, 'b')]);
    expect([a.version, b.version].sort()).toEqual([1, 2]);
    expect((await store.policies.current('ws_1'))?.version).toBe(2);
  });
});
