// What a workspace holds for Zendesk: the webhook signing secret, the API credentials used to write
// internal notes, and the OAuth client agents sign in with (Zendesk vouches for who decides). Secrets
// are sealed at rest; the account's address, agent email and OAuth client id are settings.
import { AppError } from '../../approvals/errors';
import type { WorkspaceRecord } from '../../approvals/workspace-records';
import type { Workspaces } from '../../workspaces/workspaces';

const SIGNING_SECRET = 'zendeskSigningSecret';
const API_TOKEN = 'zendeskApiToken';
const OAUTH_SECRET = 'zendeskOAuthClientSecret';
/** Zendesk's OAuth "unique identifier": generated from the client's name, editable by the admin. */
const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;
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

/** The workspace's Zendesk OAuth client (Admin Center → Apps and integrations → APIs → OAuth clients). */
export interface ZendeskOAuthClient {
  clientId: string;
  clientSecret: string;
}

/** Where agents sign in: the account of the workspace's Zendesk credentials, and its OAuth client. */
export interface ZendeskSignInSetup extends ZendeskOAuthClient {
  subdomain: string;
  baseUrl: string;
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

  /** The OAuth client id, when one is stored (the secret is never shown). */
  oauthClientId(workspace: WorkspaceRecord): string | null {
    const stored = workspace.settings.zendeskOAuth as { clientId?: unknown } | undefined;
    return typeof stored?.clientId === 'string' && workspace.secrets[OAUTH_SECRET] ? stored.clientId : null;
  }

  /** Everything agent sign-in needs, or null while the OAuth client or the account's address is missing. */
  signIn(workspace: WorkspaceRecord): ZendeskSignInSetup | null {
    const address = workspace.settings.zendesk as ZendeskAccount | undefined;
    const clientId = this.oauthClientId(workspace);
    const clientSecret = clientId && this.workspaces.openSecret(workspace, OAUTH_SECRET);
    return address && clientId && clientSecret ? { subdomain: address.subdomain, baseUrl: address.baseUrl, clientId, clientSecret } : null;
  }

  async setOAuthClient(workspace: WorkspaceRecord, client: ZendeskOAuthClient): Promise<WorkspaceRecord> {
    if (!workspace.settings.zendesk) throw new AppError('bad_request', 'zendesk_account_missing', 'Set the Zendesk account first (zendesk credentials set --subdomain …): agents sign in on that account.');
    if (!CLIENT_ID.test(client.clientId.trim())) throw new AppError('bad_request', 'invalid_client_id', 'The client id is the OAuth client\'s "Identifier" in Zendesk Admin Center (letters, digits, "_", "-", ".").');
    if (client.clientSecret.trim().length < 16) throw new AppError('bad_request', 'invalid_client_secret', 'The client secret looks too short: copy the "Secret" Zendesk shows once when the OAuth client is saved.');
    return this.workspaces.storeSecret(workspace, OAUTH_SECRET, client.clientSecret.trim(), { ...workspace.settings, zendeskOAuth: { clientId: client.clientId.trim() } });
  }

  async clearOAuthClient(workspace: WorkspaceRecord): Promise<WorkspaceRecord> {
    const { zendeskOAuth: _removed, ...settings } = workspace.settings;
    return this.workspaces.storeSecret(workspace, OAUTH_SECRET, null, settings as WorkspaceRecord['settings']);
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
