// First start on an empty store: the `default` workspace with one key of each scope and a callback
// secret, random unless COUNTERSIGN_BOOTSTRAP_* supplies them.
import { AppError } from '../approvals/errors';
import type { Config } from '../config/config';
import type { Store } from '../approvals/ports';
import type { Workspaces } from './workspaces';

export interface BootstrapCredentials {
  workspace: string;
  intakeKey: string;
  reviewKey: string;
  callbackSecret: string;
  /** Which of them came from the environment (and so need not be printed). */
  fromEnvironment: { intakeKey: boolean; reviewKey: boolean; callbackSecret: boolean };
}

export const DEFAULT_WORKSPACE = 'default';
export const BOOTSTRAP_REVIEWER = { kind: 'personal', id: 'admin', name: 'Admin' } as const;

export async function bootstrapDefaultWorkspace(store: Store, workspaces: Workspaces, bootstrap: Config['bootstrap']): Promise<BootstrapCredentials | null> {
  if ((await store.workspaces.list()).length > 0) return null;
  let created;
  try {
    created = await workspaces.create(DEFAULT_WORKSPACE, bootstrap.callbackSecret);
  } catch (error) {
    // Another instance sharing the store won the race to bootstrap; it prints the credentials.
    if (error instanceof AppError && error.kind === 'conflict') return null;
    throw error;
  }
  const intake = await workspaces.issueKey(created.workspace, 'intake', { key: bootstrap.intakeKey, label: 'bootstrap' });
  // The first review key is a person's: the admin's, so decisions with it are attributed, never anonymous.
  const review = await workspaces.issueKey(created.workspace, 'review', { key: bootstrap.reviewKey, label: 'bootstrap', reviewer: BOOTSTRAP_REVIEWER });
  return {
    workspace: DEFAULT_WORKSPACE,
    intakeKey: intake.key,
    reviewKey: review.key,
    callbackSecret: created.callbackSecret,
    fromEnvironment: {
      intakeKey: bootstrap.intakeKey !== undefined,
      reviewKey: bootstrap.reviewKey !== undefined,
      callbackSecret: bootstrap.callbackSecret !== undefined,
    },
  };
}
