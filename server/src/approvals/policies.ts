// A workspace's policy in force, versioned: read for every intake (cached briefly, since a policy
// changes rarely and intake is hot), replaced whole by an admin, and tested against past requests.
import type { PolicyDocument, PolicyTestResult } from '@countersign/shared';
import { AppError } from './errors';
import type { ApprovalStore, PolicyRecord, PolicyStore } from './ports';
import { backtestPolicy } from './policy-backtest';

export interface PolicyInForce {
  /** 0 is the empty policy every workspace starts with: one approval by anyone. */
  version: number;
  updatedAt: number | null;
  document: PolicyDocument;
  setBy: string | null;
}

const EMPTY: Omit<PolicyInForce, 'version'> = { updatedAt: null, document: { rules: [] }, setBy: null };
/**
 * How long an instance may go on using a policy another instance replaced. A second is long for no
 * one: the store is read at most once a second per workspace, and a new policy is in force everywhere
 * within one.
 */
export const POLICY_CACHE_MS = 1000;
/** Past requests a backtest reads at most (newest first). */
export const BACKTEST_LIMIT = 20_000;
const PAGE = 500;

export class Policies {
  private readonly cache = new Map<string, { policy: PolicyInForce; until: number }>();

  constructor(
    private readonly store: { policies: PolicyStore; approvals: Pick<ApprovalStore, 'list'> },
    private readonly clock: () => number = Date.now,
  ) {}

  async current(workspaceId: string): Promise<PolicyInForce> {
    const now = this.clock();
    const cached = this.cache.get(workspaceId);
    if (cached && cached.until > now) return cached.policy;
    const record = await this.store.policies.current(workspaceId);
    // The same version keeps the same object, so its rules stay compiled (approvals/policy.ts).
    const policy = cached && cached.policy.version === (record?.version ?? 0) ? cached.policy : record ? inForce(record) : { version: 0, ...EMPTY };
    this.cache.set(workspaceId, { policy, until: now + POLICY_CACHE_MS });
    return policy;
  }

  /** Stores `document` as the next version; answers the policy now in force. */
  async set(workspaceId: string, document: PolicyDocument, setBy: string): Promise<PolicyInForce> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const newest = await this.store.policies.current(workspaceId);
      const record: PolicyRecord = { workspaceId, version: (newest?.version ?? 0) + 1, document, createdAt: this.clock(), setBy };
      if (await this.store.policies.save(record)) {
        const policy = inForce(record);
        this.cache.set(workspaceId, { policy, until: this.clock() + POLICY_CACHE_MS });
        return policy;
      }
    }
    throw new AppError('unavailable', 'policy_contended', 'Other policy changes kept arriving at the same moment; retry.', { headers: { 'retry-after': '1' } });
  }

  /** The candidate over the workspace's requests created since `since`, nothing written. */
  async test(workspaceId: string, candidate: PolicyDocument, since: number): Promise<PolicyTestResult> {
    const past = [];
    let after: { createdAt: number; id: string } | undefined;
    while (past.length < BACKTEST_LIMIT) {
      const page = await this.store.approvals.list(workspaceId, {}, PAGE, after);
      const recent = page.filter((approval) => approval.createdAt >= since);
      past.push(...recent);
      const last = page.at(-1);
      if (page.length < PAGE || recent.length < page.length || !last) break;
      after = { createdAt: last.createdAt, id: last.id };
    }
    return backtestPolicy(candidate, past.slice(0, BACKTEST_LIMIT), since);
  }
}

function inForce(record: PolicyRecord): PolicyInForce {
  return { version: record.version, updatedAt: record.createdAt, document: record.document, setBy: record.setBy };
}
