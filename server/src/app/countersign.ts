// The composition root: opens the store, wires the domain to its adapters, serves HTTP, runs the
// background work, and shuts it all down in order.
import http from 'node:http';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { ApprovalService } from '../approvals/approval-service';
import { Policies } from '../approvals/policies';
import { ReviewerSessions } from '../integrations/zendesk/reviewer-sessions';
import { SettlementWaiters } from '../approvals/settlement-waiters';
import type { Config } from '../config/config';
import { DeliveryWorker } from '../delivery/delivery-worker';
import { Outbox } from '../delivery/outbox';
import { deliveryKinds } from './delivery-kinds';
import { createHttpApp } from '../http/app';
import { IntercomSettings } from '../integrations/intercom/intercom-settings';
import { intercomOAuthRoutes } from '../integrations/intercom/oauth-routes';
import { IntercomEventProcessor } from '../integrations/intercom/webhook-processor';
import { intercomWebhookRoutes } from '../integrations/intercom/webhook-routes';
import { slackInteractionRoutes } from '../integrations/slack/interaction-routes';
import { slackInstallTokens } from '../integrations/slack/install-link';
import { slackOAuthRoutes } from '../integrations/slack/oauth-routes';
import { SlackInteractions } from '../integrations/slack/slack-interactions';
import { SlackMembers } from '../integrations/slack/slack-members';
import { SlackSettings } from '../integrations/slack/slack-settings';
import { approvalLink, approvalPageRoutes } from '../http/routes/approval-page';
import { canvasRouter } from '@countersign/intercom-canvas';
import { intercomCanvasBackend } from '../integrations/intercom/canvas-backend';
import { IntercomAdminTeams } from '../integrations/intercom/admin-teams';
import { dedupRecordRetentionMs } from '../config/dedup-window';
import { InFlight } from './in-flight';
import { SignedTokens } from '../secrets/signed-token';
import { ZendeskSettings } from '../integrations/zendesk/zendesk-settings';
import { ZendeskIntakeVerifier } from '../integrations/zendesk/intake-verifier';
import { mcpRoutes } from '../mcp/mcp-routes';
import { AgentSignIn } from '../integrations/zendesk/agent-sign-in';
import { zendeskSignInRoutes } from '../integrations/zendesk/sign-in-routes';
import { loadSecretKey, verifySecretKey } from '../secrets/master-key';
import { SecretBox } from '../secrets/secret-box';
import { createLogger } from '../monitoring/log';
import { CallbackGuard, systemResolve, type Resolve } from '../outbound/callback-guard';
import { backlogReport } from '../monitoring/backlog-report';
import { Periodic } from './periodic';
import type { CountersignExtension, ExtensionHost } from './extension';
import { openStore } from '../store/open-store';
import type { Store } from '../approvals/ports';
import { watchWrites, WriteHealth } from '../store/write-health';
import { bootstrapDefaultWorkspace, type BootstrapCredentials } from '../workspaces/bootstrap';
import { Workspaces } from '../workspaces/workspaces';
import { ApprovalFeed } from '../stream/approval-feed';

export interface StartOptions {
  log?: Logger;
  /** DNS resolution for callback hosts (tests substitute a fixed table). */
  resolve?: Resolve;
  /** How long shutdown waits for in-flight requests before cutting connections. */
  drainMs?: number;
  /** What runs beside the API (the playground); none unless given. */
  extensions?: CountersignExtension[];
}

export interface RunningCountersign {
  url: string;
  port: number;
  /** The HTTP server (tests walk its routes). */
  server: http.Server;
  store: Store;
  workspaces: Workspaces;
  service: ApprovalService;
  worker: DeliveryWorker;
  bootstrap: BootstrapCredentials | null;
  /** Stops accepting work, drains requests and delivery attempts, closes the store. */
  stop(): Promise<void>;
}

const WAITER_POLL_MS = 250;
const INTERCOM_RESUME_MS = 5_000;
const BACKLOG_REPORT_MS = 60_000;
const PRUNE_INTERVAL_MS = 24 * 3600 * 1000;
/** Sign-ins nobody collected are deleted this often (each lives two minutes). */
const HANDOFF_PRUNE_MS = 10 * 60 * 1000;
const EXPIRY_BATCH = 100;
/** Batches of follow-ups one sweep makes at most; the rest wait for the next sweep. */
const FOLLOW_UP_BATCHES = 10;

export async function startCountersign(config: Config, options: StartOptions = {}): Promise<RunningCountersign> {
  const log = options.log ?? createLogger(config.logLevel);
  const opened = await openStore(config, { processedEventRetentionMs: dedupRecordRetentionMs(config.eventDedupWindowMs) });
  await opened.init();
  const writeHealth = new WriteHealth();
  const store = watchWrites(opened, writeHealth);
  try {
    return await assemble(config, options, log, store, writeHealth);
  } catch (error) {
    await store.close();
    throw error;
  }
}

async function assemble(config: Config, options: StartOptions, log: Logger, store: Store, writeHealth: WriteHealth): Promise<RunningCountersign> {
  const secretKey = loadSecretKey(config.secretKey, config.dataDir);
  if (secretKey.generatedAt) log.warn({ file: secretKey.generatedAt }, 'generated a secret key for secrets at rest; back it up, or set COUNTERSIGN_SECRET_KEY');
  const box = new SecretBox(secretKey.key);
  await verifySecretKey(store, box);
  const workspaces = new Workspaces(store, box);
  const bootstrap = await bootstrapDefaultWorkspace(store, workspaces, config.bootstrap);

  const zendesk = new ZendeskSettings(workspaces);
  const intercom = new IntercomSettings(store, workspaces, config.intercom);
  const slack = new SlackSettings(store, workspaces, config.slack);
  const guard = new CallbackGuard(config.allowPrivateCallbacks, options.resolve ?? systemResolve);
  const waiters = new SettlementWaiters(store);
  const linkTokens = new SignedTokens(secretKey.key, 'approval-link');
  let url = config.publicUrl?.replace(/\/+$/, '') ?? '';
  const approvalPage = (workspaceId: string, approvalId: string) => (url ? approvalLink(linkTokens, url, workspaceId, approvalId) : null);
  const kinds = deliveryKinds({ config, workspaces, zendesk, intercom, slack, store, guard, approvalPage, log });
  const worker = new DeliveryWorker({
    outbox: store.outbox,
    workspaces: store.workspaces,
    kinds,
    retrySchedule: config.retrySchedule,
    attemptTimeoutMs: config.deliveryTimeoutMs,
    concurrency: config.deliveryConcurrency,
    perWorkspace: config.deliveryPerWorkspace,
    perHost: config.deliveryPerHost,
    hostCooldownMs: config.deliveryHostCooldownMs,
    pollIntervalMs: config.pollIntervalMs,
    owner: `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    log: log.child({ component: 'delivery' }),
  });
  const policies = new Policies(store);
  const reviewerSessions = new ReviewerSessions(secretKey.key);
  const feed = new ApprovalFeed({ changes: store.changes, approvals: store.approvals, log: log.child({ component: 'stream' }) });
  await feed.start();
  const service = new ApprovalService({
    store,
    policies,
    clock: Date.now,
    callbackUrls: guard,
    outbox: new Outbox(kinds, store.workspaces, worker),
    observers: [waiters, feed],
  });

  let shuttingDown = false;
  const extensions = options.extensions ?? [];
  const extensionHost: ExtensionHost = { config, workspaces, zendesk, intercom, slack, guard, log, publicUrl: () => url };
  const intercomEvents = new IntercomEventProcessor({ store, service, intercom, log: log.child({ component: 'intercom' }) });
  const inFlight = new InFlight();
  const adminTeams = new IntercomAdminTeams({ workspaces: store.workspaces, intercom, guard, apiVersion: config.intercom.apiVersion, log: log.child({ component: 'intercom' }) });
  const intakeVerifier = new ZendeskIntakeVerifier(zendesk, store.platformEvents);
  const signIn = new AgentSignIn({
    workspaces: store.workspaces, handoffs: store.sessionHandoffs, zendesk, sessions: reviewerSessions, box, guard,
    stateTokens: new SignedTokens(secretKey.key, 'zendesk-sign-in-state'), publicUrl: () => url, log: log.child({ component: 'zendesk' }),
  });
  const clientSecret = () => config.intercom.clientSecret ?? extensions.map((e) => e.intercomClientSecret?.() ?? null).find((secret) => secret !== null) ?? null;
  const integrationRoutes = [
    intercomWebhookRoutes({
      store, clientSecret, bodyLimitBytes: config.bodyLimitBytes, dedupWindowMs: config.eventDedupWindowMs, log: log.child({ component: 'intercom' }),
      process: (event) => inFlight.track(intercomEvents.process(event)),
    }),
    intercomOAuthRoutes({ config: config.intercom, publicUrl: () => url, stateTokens: new SignedTokens(secretKey.key, 'intercom-oauth-state'), workspaces, intercom, log }),
    approvalPageRoutes({ service, linkTokens }),
    mcpRoutes({ store, service, waiters, intakeVerifier, maxWaitMs: config.maxWaitMs, bodyLimitBytes: config.bodyLimitBytes, log: log.child({ component: 'mcp' }) }),
    slackInteractionRoutes({
      slack, service, platformEvents: store.platformEvents, bodyLimitBytes: config.bodyLimitBytes, log: log.child({ component: 'slack' }),
      interactions: new SlackInteractions({ service, slack, members: new SlackMembers(config.deliveryTimeoutMs, log.child({ component: 'slack' })), log: log.child({ component: 'slack' }) }),
      track: (work) => inFlight.track(work),
    }),
    slackOAuthRoutes({
      config: config.slack, publicUrl: () => url, installTokens: slackInstallTokens(secretKey.key), stateTokens: new SignedTokens(secretKey.key, 'slack-oauth-state'),
      workspaces: store.workspaces, slack, log: log.child({ component: 'slack' }),
    }),
    zendeskSignInRoutes({ store, signIn }),
    // Reads its own raw body (the signature covers the bytes), so no JSON parser may run before it.
    canvasRouter({
      clientSecret,
      backend: intercomCanvasBackend({ service, intercom, approvalLink: (workspaceId, approvalId) => approvalLink(linkTokens, url, workspaceId, approvalId), teams: (workspaceId, adminId) => adminTeams.teams(workspaceId, adminId) }),
      installUrl: () => `${url}/intercom/oauth/start`,
      bodyLimitBytes: config.bodyLimitBytes,
      onError: (err) => log.warn({ err }, 'intercom canvas request failed'),
    }),
  ];
  const app = createHttpApp({
    config, store, writeHealth, service, waiters, integrationRoutes, log,
    intakeVerifier,
    reviewerSessions,
    policies,
    feed,
    isShuttingDown: () => shuttingDown,
    extensions: extensions.map((extension) => extension.http(extensionHost)),
  });
  const server = http.createServer(app);
  // Slow senders (slowloris) may not hold a connection open: headers within 20 s, the whole request
  // within 60 s. Waiting for a decision happens after the request is read, so it is not affected.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  // An idle keep-alive connection stays open longer than load balancers keep theirs (60 s is common):
  // with Node's 5 s, a client or balancer that reuses a connection just as the server closes it gets
  // a reset (a 502 at the balancer, a socket error at the automation) for a request never read.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // Known before the extensions start: the playground registers its fake OAuth client's redirect URL with it.
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  url ||= `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  for (const extension of extensions) {
    await extension.start(extensionHost, port).catch((error: unknown) => {
      server.close();
      throw error;
    });
  }

  const pruneProcessedEvents = () => store.platformEvents.prune(Date.now() - dedupRecordRetentionMs(config.eventDedupWindowMs));
  const background = [
    new Periodic('expiry', config.pollIntervalMs, async () => {
      while ((await service.expireOverdue(EXPIRY_BATCH)) === EXPIRY_BATCH);
      // Reminders and escalations after expiry: an overdue request is expired, never reminded of.
      for (let batch = 0; batch < FOLLOW_UP_BATCHES && (await service.followUpOverdue(EXPIRY_BATCH)) === EXPIRY_BATCH; batch++);
    }, log),
    new Periodic('waiter-poll', Math.min(WAITER_POLL_MS, config.pollIntervalMs), () => waiters.poll(), log),
    // Other instances' commits reach this instance's streams within this interval.
    new Periodic('stream-poll', Math.min(WAITER_POLL_MS, config.pollIntervalMs), () => feed.poll(), log),
    new Periodic('intercom-resume', INTERCOM_RESUME_MS, () => intercomEvents.resume(), log),
    // One log line a minute with the backlog, for log-based alerting (docs/operations.md).
    new Periodic('backlog-report', BACKLOG_REPORT_MS, async () => log.info({ backlog: await backlogReport(store) }, 'backlog'), log),
    new Periodic('processed-event-prune', PRUNE_INTERVAL_MS, pruneProcessedEvents, log),
    new Periodic('sign-in-prune', HANDOFF_PRUNE_MS, () => store.sessionHandoffs.prune(Date.now()), log),
  ];
  background.forEach((task) => task.start());
  worker.start();
  void pruneProcessedEvents().catch((err: unknown) => log.warn({ err }, 'initial prune failed'));

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      shuttingDown = true;
      // Streams first: an open one would keep its connection busy past server.close().
      feed.closeAll();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      waiters.releaseAll();
      const drained = await Promise.race([closed.then(() => true), sleep(options.drainMs ?? 10_000).then(() => false)]);
      if (!drained) server.closeAllConnections();
      await Promise.all(background.map((task) => task.stop()));
      await inFlight.settle(options.drainMs ?? 10_000);
      await worker.stop();
      await store.close();
      log.info({ drained }, 'stopped');
    })());

  return { url, port, server, store, workspaces, service, worker, bootstrap, stop };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
