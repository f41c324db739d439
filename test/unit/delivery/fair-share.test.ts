// The choice both store adapters make in a delivery claim (the contract suite checks it through each
// adapter; these pin the rule itself, including what MongoDB's adapter relies on without a server here).
import { describe, expect, it } from 'vitest';
import { fairShare, HOSTS_PER_WORKSPACE, HostRotation, type ClaimCandidate } from '@countersign/server/delivery';

const claim = { now: 0, owner: 'w', leaseMs: 1, limit: 10 };
const candidate = (id: string, workspaceId: string, host: string, nextAttemptAt: number): ClaimCandidate => ({ id, workspaceId, host, nextAttemptAt });

describe('fair share of a delivery claim', () => {
  it('alternates between workspaces, earliest due first within each', () => {
    const candidates = [candidate('a1', 'A', 'h', 1), candidate('a2', 'A', 'h', 2), candidate('a3', 'A', 'h', 3), candidate('b1', 'B', 'h', 50), candidate('b2', 'B', 'h', 60)];
    expect(fairShare(candidates, { ...claim, limit: 4 })).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it('serves a workspace with attempts in flight after idle ones and never beyond its cap', () => {
    const candidates = [candidate('a1', 'A', 'h', 1), candidate('a2', 'A', 'h', 2), candidate('b1', 'B', 'h', 50), candidate('b2', 'B', 'h', 60)];
    expect(fairShare(candidates, { ...claim, perWorkspace: 3, workspaceBusy: { A: 2 } })).toEqual(['b1', 'b2', 'a1']);
  });

  it('skips deliveries to a host without room and goes on with the workspace’s others', () => {
    const candidates = [candidate('a1', 'A', 'full', 1), candidate('a2', 'A', 'free', 2), candidate('b1', 'B', 'full', 3)];
    expect(fairShare(candidates, { ...claim, hostRoom: { full: 1 } })).toEqual(['a1', 'a2']);
    expect(fairShare(candidates, { ...claim, hostRoom: { full: 0 } })).toEqual(['a2']);
  });

  it('reads a workspace’s hosts round-robin, at most a fixed number per claim', () => {
    const hosts = Array.from({ length: HOSTS_PER_WORKSPACE + 10 }, (_, i) => `h${String(i).padStart(3, '0')}`);
    const after = (from: string | null, max: number) => hosts.filter((h) => from === null || h > from).slice(0, max);
    const rotation = new HostRotation();
    const first = rotation.pick('A', after);
    const second = rotation.pick('A', after);
    expect(first).toEqual(hosts.slice(0, HOSTS_PER_WORKSPACE));
    expect(second).toHaveLength(HOSTS_PER_WORKSPACE);
    expect(second.slice(0, 10)).toEqual(hosts.slice(HOSTS_PER_WORKSPACE));
    expect(new Set([...first, ...second])).toEqual(new Set(hosts));
    expect(rotation.pick('B', (from, max) => ['x', 'y'].filter((h) => from === null || h > from).slice(0, max))).toEqual(['x', 'y']);
  });
});
