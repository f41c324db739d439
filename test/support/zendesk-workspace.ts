// A second workspace configured for Zendesk, set up the way the admin CLI would.
import { ZendeskSettings } from '@countersign/server/integrations/zendesk';
import { zendeskSignature } from '@countersign/server/integrations/zendesk';
import type { WorkspaceRecord } from '@countersign/server/approvals';
import type { TestServer } from './test-server';

/** The secret from Zendesk's own verification example. */
export const ZENDESK_SIGNING_SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';
export const ZENDESK_EMAIL = 'countersign-bot@acme.example';
export const ZENDESK_TOKEN = 'zd-api-token-6f1c2b9e';

export interface ZendeskWorkspace {
  workspace: WorkspaceRecord;
  intakeKey: string;
  zendesk: ZendeskSettings;
}

export async function zendeskWorkspace(server: TestServer, name: string, options: { signingSecret?: string; baseUrl?: string }): Promise<ZendeskWorkspace> {
  const { workspaces } = server.app;
  const zendesk = new ZendeskSettings(workspaces);
  let { workspace } = await workspaces.create(name);
  const { key } = await workspaces.issueKey(workspace, 'intake');
  if (options.signingSecret) workspace = await zendesk.setSigningSecret(workspace, options.signingSecret);
  if (options.baseUrl) workspace = await zendesk.setCredentials(workspace, { subdomain: 'acme', email: ZENDESK_EMAIL, apiToken: ZENDESK_TOKEN, baseUrl: options.baseUrl });
  return { workspace, intakeKey: key, zendesk };
}

/** The headers Zendesk sends with a signed webhook invocation. */
export function zendeskHeaders(body: string, options: { secret?: string; at?: Date; invocationId?: string } = {}): Record<string, string> {
  const timestamp = (options.at ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    'x-zendesk-webhook-signature': zendeskSignature(options.secret ?? ZENDESK_SIGNING_SECRET, timestamp, body),
    'x-zendesk-webhook-signature-timestamp': timestamp,
    ...(options.invocationId ? { 'x-zendesk-webhook-invocation-id': options.invocationId } : {}),
  };
}
