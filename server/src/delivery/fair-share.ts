// The fair part of a delivery claim, shared by both adapters so they choose alike (Store.claimDeliveries
// says what "fair" means). Each adapter reads the heads of the queues a claim may take from — one queue
// per workspace and destination host — and this decides which of those candidates to lease.
import type { DeliveryClaim } from '../approvals/ports';

export interface ClaimCandidate {
  id: string;
  workspaceId: string;
  host: string;
  nextAttemptAt: number;
}

/**
 * Most hosts of one workspace a claim looks at. A workspace whose deliveries go to thousands of hosts
 * would otherwise make every claim walk all of them; the rest get their turn in the next claims.
 */
export const HOSTS_PER_WORKSPACE = 64;

/** How many more of this workspace's deliveries the claim may take. */
export function workspaceRoom(claim: DeliveryClaim, workspaceId: string): number {
  if (claim.perWorkspace === undefined) return claim.limit;
  return Math.max(0, claim.perWorkspace - (claim.workspaceBusy?.[workspaceId] ?? 0));
}

/** How many deliveries to this host the claim may take. */
export function hostRoom(claim: DeliveryClaim, host: string): number {
  return Math.max(0, claim.hostRoom?.[host] ?? claim.perHost ?? claim.limit);
}

/**
 * Ids to lease, in the order they were chosen. Repeatedly takes the head of the workspace whose turn
 * comes first (attempts it has in flight + those taken so far; then the head's due time, then id),
 * skipping heads whose host has no room left, until `limit` or nothing fits.
 */
export function fairShare(candidates: readonly ClaimCandidate[], claim: DeliveryClaim): string[] {
  const queues = new Map<string, ClaimCandidate[]>();
  for (const candidate of [...candidates].sort(byDue)) {
    const queue = queues.get(candidate.workspaceId);
    if (queue) queue.push(candidate);
    else queues.set(candidate.workspaceId, [candidate]);
  }
  const takenByWorkspace = new Map<string, number>();
  const takenByHost = new Map<string, number>();
  const chosen: string[] = [];
  while (chosen.length < claim.limit) {
    let best: { workspaceId: string; turn: number; head: ClaimCandidate } | null = null;
    for (const [workspaceId, queue] of queues) {
      while (queue.length > 0 && (takenByHost.get(queue[0]!.host) ?? 0) >= hostRoom(claim, queue[0]!.host)) queue.shift();
      const taken = takenByWorkspace.get(workspaceId) ?? 0;
      if (queue.length === 0 || taken >= workspaceRoom(claim, workspaceId)) {
        queues.delete(workspaceId);
        continue;
      }
      const turn = (claim.workspaceBusy?.[workspaceId] ?? 0) + taken;
      const head = queue[0]!;
      if (!best || turn < best.turn || (turn === best.turn && byDue(head, best.head) < 0)) best = { workspaceId, turn, head };
    }
    if (!best) break;
    queues.get(best.workspaceId)!.shift();
    chosen.push(best.head.id);
    takenByWorkspace.set(best.workspaceId, (takenByWorkspace.get(best.workspaceId) ?? 0) + 1);
    takenByHost.set(best.head.host, (takenByHost.get(best.head.host) ?? 0) + 1);
  }
  return chosen;
}

function byDue(a: ClaimCandidate, b: ClaimCandidate): number {
  return a.nextAttemptAt - b.nextAttemptAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Which of a workspace's hosts a claim reads, at most HOSTS_PER_WORKSPACE, carrying on round-robin
 * from where the previous claim stopped. Kept in memory by each store instance: it only spreads the
 * reading, so losing it on a restart costs nothing.
 */
export class HostRotation {
  private readonly resumeAfter = new Map<string, string>();

  /** `hostsAfter(after, max)`: up to `max` of the workspace's hosts above `after` (null: from the first), in order. */
  pick(workspaceId: string, hostsAfter: (after: string | null, max: number) => string[]): string[] {
    const cursor = this.resumeAfter.get(workspaceId) ?? null;
    const hosts = hostsAfter(cursor, HOSTS_PER_WORKSPACE);
    if (cursor !== null && hosts.length < HOSTS_PER_WORKSPACE) {
      hosts.push(...hostsAfter(null, HOSTS_PER_WORKSPACE - hosts.length).filter((host) => host <= cursor));
    }
    if (hosts.length === HOSTS_PER_WORKSPACE) this.resumeAfter.set(workspaceId, hosts.at(-1)!);
    else this.resumeAfter.delete(workspaceId);
    return hosts;
  }
}
