// An Intercom teammate's teams, from Intercom's API (GET /admins/{id}, with the workspace's token),
// for canvas requests that do not carry them: whether Intercom sends `team_ids` with every signed
// canvas request is unverified (reference/identity-policy-reach.md), so eligibility by team must not
// depend on it. Cached briefly; any failure answers no teams, so eligibility by team fails closed.
import type { Logger } from 'pino';
import type { WorkspaceStore } from '../../approvals/ports';
import type { CallbackGuard } from '../../outbound/callback-guard';
import { requestJson } from '../../outbound/outbound-json';
import type { IntercomSettings } from './intercom-settings';

const CACHE_MS = 5 * 60 * 1000;
const TIMEOUT_MS = 3000;

export class IntercomAdminTeams {
  private readonly cache = new Map<string, { teams: string[]; until: number }>();

  constructor(
    private readonly deps: { workspaces: WorkspaceStore; intercom: IntercomSettings; guard: CallbackGuard; apiVersion: string; log: Logger },
    private readonly clock: () => number = Date.now,
  ) {}

  async teams(workspaceId: string, adminId: string): Promise<string[]> {
    const key = `${workspaceId}:${adminId}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > this.clock()) return cached.teams;
    const teams = await this.fetch(workspaceId, adminId);
    this.cache.set(key, { teams, until: this.clock() + CACHE_MS });
    return teams;
  }

  private async fetch(workspaceId: string, adminId: string): Promise<string[]> {
    const workspace = await this.deps.workspaces.get(workspaceId);
    const link = workspace && this.deps.intercom.link(workspace);
    const token = workspace && this.deps.intercom.accessToken(workspace);
    if (!link || !token || !/^[A-Za-z0-9_-]{1,64}$/.test(adminId)) return [];
    const answer = await requestJson(`${this.deps.intercom.apiBaseUrl(link)}/admins/${adminId}`, {
      headers: { authorization: `Bearer ${token}`, 'intercom-version': this.deps.apiVersion },
      timeoutMs: TIMEOUT_MS,
      guard: this.deps.guard,
    });
    if (!answer.ok) {
      this.deps.log.warn({ adminId, error: answer.error }, 'could not read an Intercom teammate\'s teams; eligibility by team is refused');
      return [];
    }
    const ids = (answer.json as { team_ids?: unknown } | null)?.team_ids;
    return Array.isArray(ids) ? ids.filter((id) => typeof id === 'string' || typeof id === 'number').map(String) : [];
  }
}
