// What the HTTP layer is given by the composition root.
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { ApprovalService } from '../approvals/approval-service';
import type { SettlementWaiters } from '../approvals/settlement-waiters';
import type { Config } from '../config/config';
import type { IntakeVerifier } from './intake-verification';
import type { ReviewerSessionVerifier } from './reviewer-principal';
import type { Policies } from '../approvals/policies';
import type { Store } from '../approvals/ports';
import type { WriteHealth } from '../store/write-health';
import type { ApprovalFeed } from '../stream/approval-feed';

export interface HttpDeps {
  config: Config;
  store: Store;
  /** Whether the store's writes are failing now (readiness). */
  writeHealth: WriteHealth;
  service: ApprovalService;
  waiters: SettlementWaiters;
  /** What the platform in front of intake vouches for (Zendesk webhook signatures). */
  intakeVerifier: IntakeVerifier;
  /** Agent sessions for the Zendesk app's key (X-Countersign-Reviewer). */
  reviewerSessions: ReviewerSessionVerifier;
  policies: Policies;
  /** The live feed behind GET /api/approvals/stream. */
  feed: ApprovalFeed;
  /** Platform endpoints assembled by the composition root (Intercom webhooks, canvas, OAuth, request pages). */
  integrationRoutes: Router[];
  log: Logger;
  isShuttingDown: () => boolean;
  /** Routes that run beside the API (the playground), with their links on the home page. */
  extensions: HttpExtension[];
}

export interface HttpExtension {
  routes: Router;
  /** A line on the home page pointing a newcomer to it: "<label> <description>", the label a link to href. */
  homeLink?: { href: string; label: string; description: string };
}
