// Links the Intercom workspace that just installed the app to a Countersign workspace: the one already
// linked to it (a re-install refreshes the token), or a new one. A workspace is never linked to an
// existing Countersign workspace here: OAuth proves who the Intercom admin is, not that they may see
// that workspace's requests (the admin CLI's `intercom link` does that).
import type { WorkspaceRecord } from '../../approvals/workspace-records';
import type { Workspaces } from '../../workspaces/workspaces';
import { AppError } from '../../approvals/errors';
import type { IntercomInstaller } from './oauth-client';
import { parseRegion, type IntercomRegion, type IntercomSettings } from './intercom-settings';

export interface InstallResult {
  workspace: WorkspaceRecord;
  created: boolean;
  /** Shown once on the install page, for a new workspace only. */
  credentials: { intakeKey: string; callbackSecret: string } | null;
}

export async function installIntercom(deps: { workspaces: Workspaces; intercom: IntercomSettings }, installer: IntercomInstaller, token: string): Promise<InstallResult> {
  const intercomId = installer.app.id_code;
  const region = regionOf(installer.app.region);
  const existing = await deps.intercom.workspaceFor(intercomId);
  if (existing) {
    const link = deps.intercom.link(existing)!;
    const workspace = await deps.intercom.setLink(existing, { ...link, region, adminId: link.adminId ?? installer.id }, token);
    return { workspace, created: false, credentials: null };
  }
  const { workspace: created, callbackSecret } = await createWorkspace(deps.workspaces, intercomId);
  const { key } = await deps.workspaces.issueKey(created, 'intake', { label: 'intercom install' });
  const workspace = await deps.intercom.setLink(created, { workspaceId: intercomId, region, adminId: installer.id, gatedTopics: [], callbackUrl: null }, token);
  return { workspace, created: true, credentials: { intakeKey: key, callbackSecret } };
}

function regionOf(value: string | null | undefined): IntercomRegion {
  try {
    return parseRegion(value ?? undefined);
  } catch {
    // An unknown spelling: api.intercom.io routes requests to the right region itself.
    return 'US';
  }
}

async function createWorkspace(workspaces: Workspaces, intercomId: string) {
  const base = `intercom-${intercomId.toLowerCase().replace(/[^a-z0-9_-]/g, '-')}`.slice(0, 56);
  for (let n = 0; ; n++) {
    try {
      return await workspaces.create(n === 0 ? base : `${base}-${n}`);
    } catch (error) {
      if (!(error instanceof AppError && error.kind === 'conflict') || n >= 20) throw error;
    }
  }
}
