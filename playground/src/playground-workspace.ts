// The playground's own workspace. Its intake and review keys are kept sealed in the workspace (not only
// hashed) because the playground acts as both the automation and the Zendesk proxy: it must present
// them, server-side, on the page's behalf. No other workspace's keys are ever kept this way.
import { randomBytes } from 'node:crypto';
import { AppError, type WorkspaceRecord } from '@countersign/server/approvals';
import type { ZendeskSettings } from '@countersign/server/integrations/zendesk';
import type { Workspaces } from '@countersign/server/workspaces';

export const PLAYGROUND_WORKSPACE = 'playground';
const INTAKE_KEY = 'playgroundIntakeKey';
const REVIEW_KEY = 'playgroundReviewKey';

export interface PlaygroundWorkspace {
  workspace: WorkspaceRecord;
  intakeKey: string;
  reviewKey: string;
}

export async function openPlaygroundWorkspace(workspaces: Workspaces): Promise<PlaygroundWorkspace> {
  let workspace = await findOrCreate(workspaces);
  const intakeKey = workspaces.openSecret(workspace, INTAKE_KEY) ?? (await issue(workspaces, workspace, 'intake'));
  workspace = await workspaces.byName(PLAYGROUND_WORKSPACE);
  const reviewKey = workspaces.openSecret(workspace, REVIEW_KEY) ?? (await issue(workspaces, workspace, 'review'));
  return { workspace: await workspaces.byName(PLAYGROUND_WORKSPACE), intakeKey, reviewKey };
}

/** Points the workspace's Zendesk credentials at this server's fake Zendesk (its address changes per start). */
export async function connectFakeZendesk(zendesk: ZendeskSettings, playground: PlaygroundWorkspace, baseUrl: string, apiToken: string): Promise<void> {
  playground.workspace = await zendesk.setCredentials(playground.workspace, { subdomain: 'playground', email: 'countersign@playground.example', apiToken, baseUrl });
}

export function newFakeToken(): string {
  return randomBytes(18).toString('base64url');
}

async function findOrCreate(workspaces: Workspaces): Promise<WorkspaceRecord> {
  try {
    return (await workspaces.create(PLAYGROUND_WORKSPACE)).workspace;
  } catch (error) {
    // Already there (an earlier start, or another instance on the same store won the race).
    if (error instanceof AppError && error.kind === 'conflict') return workspaces.byName(PLAYGROUND_WORKSPACE);
    throw error;
  }
}

async function issue(workspaces: Workspaces, workspace: WorkspaceRecord, scope: 'intake' | 'review'): Promise<string> {
  const { key } = await workspaces.issueKey(workspace, scope, { label: 'playground' });
  await workspaces.storeSecret(workspace, scope === 'intake' ? INTAKE_KEY : REVIEW_KEY, key);
  return key;
}
