// What the HTTP layer is given by the composition root.
import type { Logger } from 'pino';
import type { ApprovalService } from '../approvals/approval-service';
import type { SettlementWaiters } from '../approvals/settlement-waiters';
import type { Config } from '../config';
import type { Store } from '../store/port';

export interface HttpDeps {
  config: Config;
  store: Store;
  service: ApprovalService;
  waiters: SettlementWaiters;
  log: Logger;
  isShuttingDown: () => boolean;
}
