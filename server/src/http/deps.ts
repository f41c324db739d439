// What the HTTP layer is given by the composition root.
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { ApprovalService } from '../approvals/approval-service';
import type { SettlementWaiters } from '../approvals/settlement-waiters';
import type { Config } from '../config/config';
import type { ZendeskSettings } from '../integrations/zendesk/zendesk-settings';
import type { PlaygroundRuntime } from '../playground/playground-routes';
import type { Store } from '../approvals/ports';
import type { WriteHealth } from '../store/write-health';

export interface HttpDeps {
  config: Config;
  store: Store;
  /** Whether the store's writes are failing now (readiness). */
  writeHealth: WriteHealth;
  service: ApprovalService;
  waiters: SettlementWaiters;
  zendesk: ZendeskSettings;
  /** Platform endpoints assembled by the composition root (Intercom webhooks, canvas, OAuth, request pages). */
  integrationRoutes: Router[];
  log: Logger;
  isShuttingDown: () => boolean;
  /** Present when the playground is on; answers null until it has started. */
  playground: (() => PlaygroundRuntime | null) | null;
}
