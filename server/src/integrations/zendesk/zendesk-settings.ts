// What a workspace holds for Zendesk: the webhook signing secret and the API credentials used to write
// internal notes. Secrets are sealed at rest; the account's address and agent email are settings.
import { AppError } from '../../approvals/errors';
import type { WorkspaceRecord } from '../../approvals/workspace-records';
import type { Workspaces } from '../../workspaces/workspaces';

const SIGNING_SECRET = 'zendeskSigningSecret';
const API_TOKEN = 'zendeskApiToken';
const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export interface ZendeskAccount {
  subdomain: string;
  email: string;
  /** `https://<subdomain>.zendesk.com` unless overridden (tests, the playground's fake Zendesk). */
  baseUrl: string;
}

export interface ZendeskCredentials extends ZendeskAccount {
  apiToken: string;
}

export class ZendeskSettings {
  constructor(private readonly workspaces: Workspaces) {}

  signingSecret(workspace: WorkspaceRecord): string | null {
    return this.workspaces.openSecret(workspace, SIGNING_SECRET);
  }

  async setSigningSecret(workspace: WorkspaceRecord, secret: string | null): Promise<WorkspaceRecord> {
    if (secret !== null && secret.trim().length < 16) throw new AppError('bad_request', 'invalid_signing_secret', 'A Zendesk signing secret is at least 16 characters (copy it from the webhook in Admin Center).');
    return this.workspaces.storeSecret(workspace, SIGNING_SECRET, secret?.trim() ?? null);
  }

  account(workspace: WorkspaceRecord): ZendeskAccount | null {
    const account = workspace.settings.zendesk as ZendeskAccount | undefined;
    return account && workspace.secrets[API_TOKEN] ? account : null;
  }

  credentials(workspace: WorkspaceRecord): ZendeskCredentials | null {
    const account = this.account(workspace);
    const apiToken = account && this.workspaces.openSecret(workspace, API_TOKEN);
    return account && apiToken ? { ...account, apiToken } : null;
  }

  async setCredentials(workspace: WorkspaceRecord, input: { subdomain: string; email: string; apiToken: string; baseUrl?: string }): Promise<WorkspaceRecord> {
    if (!SUBDOMAIN.test(input.subdomain)) throw new AppError('bad_request', 'invalid_subdomain', 'The Zendesk subdomain is the "acme" of acme.zendesk.com.');
    if (!EMAIL.test(input.email)) throw new AppError('bad_request', 'invalid_email', 'The agent email must be an email address.');
    if (input.apiToken.trim().length < 8) throw new AppError('bad_request', 'invalid_api_token', 'The API token looks too short.');
    const account: ZendeskAccount = {
      subdomain: input.subdomain.toLowerCase(),
      email: input.email,
      baseUrl: input.baseUrl ? baseUrlOf(input.baseUrl) : `https://${input.subdomain.toLowerCase()}.zendesk.com`,
    };
    return this.workspaces.storeSecret(workspace, API_TOKEN, input.apiToken.trim(), { ...workspace.settings, zendesk: account });
  }

  async clearCredentials(workspace: WorkspaceRecord): Promise<WorkspaceRecord> {
    const { zendesk: _removed, ...settings } = workspace.settings;
    return this.workspaces.storeSecret(workspace, API_TOKEN, null, settings as WorkspaceRecord['settings']);
  }
}

function baseUrlOf(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('bad_request', 'invalid_base_url', 'The Zendesk base URL must be an absolute http(s) URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AppError('bad_request', 'invalid_base_url', 'The Zendesk base URL must be an absolute http(s) URL.');
  return url.href.replace(/\/+$/, '');
}
