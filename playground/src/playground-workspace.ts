// The playground's own workspace. Its keys are kept sealed in the workspace (not only hashed) because
// the playground acts as the automation, as the Zendesk proxy and as "another agent" deciding
// elsewhere: it must present them, server-side, on the page's behalf. No other workspace's keys are
// ever kept this way. The review key is the Zendesk app's (it decides only with a Zendesk sign-in);
// the delegating key stands for a tool that names its users, for decisions taken elsewhere.
import { randomBytes } from 'node:crypto';
import { AppError, type WorkspaceRecord } from '@countersign/server/approvals';
import type { ZendeskSettings } from '@countersign/server/integrations/zendesk';
import type { Workspaces } from '@countersign/server/workspaces';

export const PLAYGROUND_WORKSPACE = 'playground';
const INTAKE_KEY = 'playgroundIntakeKey';
const REVIEW_KEY = 'playgroundReviewKey';
const DELEGATING_KEY = 'playgroundDelegatingKey';
const OAUTH_CLIENT_ID = 'countersign-playground';

export interface PlaygroundWorkspace {
  workspace: WorkspaceRecord;
  intakeKey: string;
  /** The Zendesk app's key: lists and reads; decides with an agent's Zendesk sign-in. */
  reviewKey: string;
  /** Decides for whoever it names ("Sam, another agent"). */
  delegatingKey: string;
}

export async function openPlaygroundWorkspace(workspaces: Workspaces): Promise<PlaygroundWorkspace> {
  let workspace = await findOrCreate(workspaces);
  const intakeKey = workspaces.openSecret(workspace, INTAKE_KEY) ?? (await issue(workspaces, workspace, 'intake'));
  workspace = await workspaces.byName(PLAYGROUND_WORKSPACE);
  const reviewKey = workspaces.openSecret(workspace, REVIEW_KEY) ?? (await issue(workspaces, workspace, 'review'));
  workspace = await workspaces.byName(PLAYGROUND_WORKSPACE);
  const delegatingKey = workspaces.openSecret(workspace, DELEGATING_KEY) ?? (await issue(workspaces, workspace, 'delegating'));
  return { workspace: await workspaces.byName(PLAYGROUND_WORKSPACE), intakeKey, reviewKey, delegatingKey };
}

/** Points the workspace's Zendesk credentials at this server's fake Zendesk (its address changes per start). */
export async function connectFakeZendesk(zendesk: ZendeskSettings, playground: PlaygroundWorkspace, baseUrl: string, apiToken: string): Promise<void> {
  playground.workspace = await zendesk.setCredentials(playground.workspace, { subdomain: 'playground', email: 'countersign@playground.example', apiToken, baseUrl });
}

/** The fake Zendesk's OAuth client, as an admin would store theirs (`zendesk oauth set`); a new secret per start. */
export async function connectFakeZendeskSignIn(zendesk: ZendeskSettings, playground: PlaygroundWorkspace, clientSecret: string): Promise<string> {
  playground.workspace = await zendesk.setOAuthClient(playground.workspace, { clientId: OAUTH_CLIENT_ID, clientSecret });
  return OAUTH_CLIENT_ID;
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

const ISSUED = {
  intake: { scope: 'intake', secret: INTAKE_KEY, label: 'playground' },
  review: { scope: 'review', secret: REVIEW_KEY, label: 'playground (Zendesk app)' },
  delegating: { scope: 'review', secret: DELEGATING_KEY, label: 'playground (decisions taken elsewhere)' },
} as const;

async function issue(workspaces: Workspaces, workspace: WorkspaceRecord, kind: keyof typeof ISSUED): Promise<string> {
  const { scope, secret, label } = ISSUED[kind];
  const { key } = await workspaces.issueKey(workspace, scope, { label, ...(kind === 'delegating' ? { reviewer: { kind: 'delegating' as const } } : {}) });
  await workspaces.storeSecret(workspace, secret, key);
  return key;
}
