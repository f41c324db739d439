// The one extension point: something that runs inside Countersign beside the API (the playground is
// one) gets its HTTP routes mounted and is started once the server listens. Countersign imports no
// extension; whoever starts it passes them in (StartOptions.extensions).
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { HttpExtension } from '../http/deps';
import type { IntercomSettings } from '../integrations/intercom/intercom-settings';
import type { SlackSettings } from '../integrations/slack/slack-settings';
import type { ZendeskSettings } from '../integrations/zendesk/zendesk-settings';
import type { CallbackGuard } from '../outbound/callback-guard';
import type { Workspaces } from '../workspaces/workspaces';

/** What an extension may use of the running server. */
export interface ExtensionHost {
  config: Config;
  workspaces: Workspaces;
  zendesk: ZendeskSettings;
  intercom: IntercomSettings;
  slack: SlackSettings;
  guard: CallbackGuard;
  log: Logger;
  /** Countersign's public URL (COUNTERSIGN_PUBLIC_URL, or the address it listens on once it does). */
  publicUrl: () => string;
}

export interface CountersignExtension {
  readonly name: string;
  /** Its routes (mounted after the API and the platform endpoints) and its link on the home page. */
  http(host: ExtensionHost): HttpExtension;
  /** Called once the server listens on `port`; a failure stops the start. */
  start(host: ExtensionHost, port: number): Promise<void>;
  /** An Intercom client secret it supplies when INTERCOM_CLIENT_SECRET is unset (the playground's own Intercom app). */
  intercomClientSecret?(): string | null;
}
