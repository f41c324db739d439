// Workspaces and what they hold: keys, the callback secret and its rotation.
import { AppError } from '../approvals/errors';
import { newId } from '../approvals/ids';
import { generateKey, keyRecord } from '../keys/api-keys';
import type { SecretBox } from '../secrets/secret-box';
import { isCallbackSecret, newCallbackSecret } from './callback-secret';
import type { ApiKeyRecord, KeyReviewer, KeyScope, WorkspaceRecord } from '../approvals/workspace-records';
import type { Store } from '../approvals/ports';

export const DEFAULT_EXPIRES_IN_SECONDS = 24 * 3600;
export const DEFAULT_ROTATION_GRACE_MS = 24 * 3600 * 1000;

const CALLBACK = 'callback';
const CALLBACK_PREVIOUS = 'callbackPrevious';
const WORKSPACE_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export class Workspaces {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly clock: () => number = Date.now,
  ) {}

  async create(name: string, callbackSecret = newCallbackSecret()): Promise<{ workspace: WorkspaceRecord; callbackSecret: string }> {
    if (!WORKSPACE_NAME.test(name)) {
      throw new AppError('bad_request', 'invalid_workspace_name', 'Workspace names are 1-63 lower-case letters, digits, "-" or "_".');
    }
    if (!isCallbackSecret(callbackSecret)) throw new AppError('bad_request', 'invalid_callback_secret', 'A callback secret is "whsec_" followed by at least 16 base64-encoded bytes.');
    const id = newId('ws', this.clock());
    const workspace: WorkspaceRecord = {
      id,
      name,
      createdAt: this.clock(),
      settings: { defaultExpiresInSeconds: DEFAULT_EXPIRES_IN_SECONDS },
      secrets: { [CALLBACK]: this.box.seal(callbackSecret, binding(id, CALLBACK)) },
    };
    await this.store.workspaces.create(workspace);
    return { workspace, callbackSecret };
  }

  async byName(name: string): Promise<WorkspaceRecord> {
    const workspace = await this.store.workspaces.findByName(name);
    if (!workspace) throw new AppError('not_found', 'workspace_not_found', `No workspace named "${name}".`);
    return workspace;
  }

  /** `reviewer` (review keys): whom it decides as; none makes it the Zendesk app's key. */
  async issueKey(workspace: WorkspaceRecord, scope: KeyScope, options: { key?: string; label?: string; reviewer?: KeyReviewer } = {}): Promise<{ key: string; record: ApiKeyRecord }> {
    const key = options.key ?? generateKey(scope);
    const record = keyRecord({ key, workspaceId: workspace.id, scope, label: options.label, reviewer: options.reviewer, now: this.clock() });
    await this.store.keys.create(record);
    return { key, record };
  }

  /** The secrets that sign callbacks right now: the current one, plus the previous during a rotation's grace period. */
  callbackSecrets(workspace: WorkspaceRecord): string[] {
    const secrets = [this.box.open(workspace.secrets[CALLBACK]!, binding(workspace.id, CALLBACK))];
    const previous = workspace.secrets[CALLBACK_PREVIOUS];
    const until = workspace.settings.previousCallbackSecretUntil;
    if (previous && until !== undefined && until > this.clock()) secrets.push(this.box.open(previous, binding(workspace.id, CALLBACK_PREVIOUS)));
    return secrets;
  }

  /** Opens a named secret, or null when the workspace holds none by that name. */
  openSecret(workspace: WorkspaceRecord, name: string): string | null {
    const sealed = workspace.secrets[name];
    return sealed === undefined ? null : this.box.open(sealed, binding(workspace.id, name));
  }

  /** Seals and stores a named secret (null removes it), together with a settings change in the same write. */
  async storeSecret(workspace: WorkspaceRecord, name: string, value: string | null, settings = workspace.settings): Promise<WorkspaceRecord> {
    const secrets = { ...workspace.secrets };
    if (value === null) delete secrets[name];
    else secrets[name] = this.box.seal(value, binding(workspace.id, name));
    await this.store.workspaces.update(workspace.id, { settings, secrets });
    return { ...workspace, settings, secrets };
  }

  /** Replaces the workspace's settings (its secrets stay as they are). */
  async updateSettings(workspace: WorkspaceRecord, settings: WorkspaceRecord['settings']): Promise<WorkspaceRecord> {
    await this.store.workspaces.update(workspace.id, { settings, secrets: workspace.secrets });
    return { ...workspace, settings };
  }

  /** Makes a new current secret; the old one keeps signing alongside it for `graceMs`. */
  async rotateCallbackSecret(workspace: WorkspaceRecord, graceMs = DEFAULT_ROTATION_GRACE_MS): Promise<{ secret: string; previousUntil: number }> {
    const [current] = this.callbackSecrets(workspace);
    const secret = newCallbackSecret();
    const previousUntil = this.clock() + graceMs;
    await this.store.workspaces.update(workspace.id, {
      settings: { ...workspace.settings, previousCallbackSecretUntil: previousUntil },
      secrets: {
        ...workspace.secrets,
        [CALLBACK]: this.box.seal(secret, binding(workspace.id, CALLBACK)),
        [CALLBACK_PREVIOUS]: this.box.seal(current!, binding(workspace.id, CALLBACK_PREVIOUS)),
      },
    });
    return { secret, previousUntil };
  }
}

function binding(workspaceId: string, name: string): string {
  return `${workspaceId}:${name}`;
}
