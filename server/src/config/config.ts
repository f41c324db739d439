// Configuration from the environment. The variable names are part of the public contract.
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_DEDUP_WINDOW_MS, MIN_DEDUP_WINDOW_MS } from './dedup-window';
import { parseDuration, parseDurationList } from './duration';

const optionalFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .optional()
  .transform((v) => (v === undefined ? undefined : ['true', '1', 'yes', 'on'].includes(v)));
const flag = (fallback: boolean) => optionalFlag.transform((v) => v ?? fallback);

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => parseDuration(v) ?? (ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration like 250ms, 5s, 5m, 2h` }), z.NEVER));

const EnvSchema = z.object({
  PORT: int(8080, 0, 65535),
  HOST: z.string().min(1).default('0.0.0.0'),
  NODE_ENV: z.string().optional(),
  COUNTERSIGN_DATA_DIR: z.string().min(1).default('./data'),
  MONGODB_URI: z.string().min(1).optional(),
  COUNTERSIGN_SECRET_KEY: z.string().min(1).optional(),
  COUNTERSIGN_BOOTSTRAP_INTAKE_KEY: z.string().min(1).optional(),
  COUNTERSIGN_BOOTSTRAP_REVIEW_KEY: z.string().min(1).optional(),
  COUNTERSIGN_BOOTSTRAP_CALLBACK_SECRET: z.string().startsWith('whsec_', 'must start with whsec_').optional(),
  COUNTERSIGN_ALLOW_PRIVATE_CALLBACKS: flag(false),
  COUNTERSIGN_RETRY_SCHEDULE: z
    .string()
    .default('5s,5m,30m,2h,5h,10h,10h')
    .transform((v, ctx) => parseDurationList(v) ?? (ctx.addIssue({ code: 'custom', message: `"${v}" is not a list like 5s,5m,30m` }), z.NEVER)),
  COUNTERSIGN_MAX_WAIT_MS: int(25_000, 0, 10 * 60_000),
  COUNTERSIGN_DELIVERY_TIMEOUT: duration('15s'),
  COUNTERSIGN_DELIVERY_CONCURRENCY: int(32, 1, 1024),
  // Fair shares of those slots. Half for one workspace, so one whose receivers hang leaves the other
  // half to everyone else; a quarter for one host, so a hanging host cannot take even all of its own
  // workspace's share. One host still gets 8 in flight: a healthy receiver answering in 10-50 ms takes
  // hundreds of callbacks a second that way, and the bench's 8 decisions in flight to one receiver
  // never wait for a slot (a lower cap would make them queue).
  COUNTERSIGN_DELIVERY_PER_WORKSPACE: int(16, 1, 1024),
  COUNTERSIGN_DELIVERY_PER_HOST: int(8, 1, 1024),
  COUNTERSIGN_DELIVERY_HOST_COOLDOWN: duration('5s'),
  COUNTERSIGN_POLL_INTERVAL: duration('1s'),
  // A comment line on every open stream this often, so proxies and browsers keep idle ones open.
  COUNTERSIGN_STREAM_HEARTBEAT: duration('15s'),
  // Browser origins besides Zendesk's app hosts that may open the stream (comma-separated).
  COUNTERSIGN_STREAM_ORIGINS: z
    .string()
    .default('')
    .transform((v, ctx) => streamOrigins(v) ?? (ctx.addIssue({ code: 'custom', message: `"${v}" is not a comma-separated list of origins like https://tools.example.com` }), z.NEVER)),
  COUNTERSIGN_BODY_LIMIT_KB: int(256, 1, 10_240),
  COUNTERSIGN_EVENT_DEDUP_WINDOW: duration(`${DEFAULT_DEDUP_WINDOW_MS / 86_400_000}d`).refine((ms) => ms >= MIN_DEDUP_WINDOW_MS, 'must be at least 1h'),
  COUNTERSIGN_SQLITE_SYNCHRONOUS: z.enum(['full', 'normal']).default('full'),
  COUNTERSIGN_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  COUNTERSIGN_PUBLIC_URL: z.url().optional(),
  COUNTERSIGN_PLAYGROUND: optionalFlag,
  COUNTERSIGN_RATE_LIMIT_PER_KEY: int(100, 0, 1_000_000),
  COUNTERSIGN_RATE_LIMIT_PER_IP: int(200, 0, 1_000_000),
  COUNTERSIGN_RATE_LIMIT_PLATFORM_PER_IP: int(200, 0, 1_000_000),
  COUNTERSIGN_TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx) => trustProxy(v) ?? (ctx.addIssue({ code: 'custom', message: `"${v}" is not false, true, a hop count or a list of addresses/subnets` }), z.NEVER)),
  INTERCOM_CLIENT_ID: z.string().optional(),
  INTERCOM_CLIENT_SECRET: z.string().optional(),
  INTERCOM_APP_ID: z.string().optional(),
  INTERCOM_API_VERSION: z.string().regex(/^(\d+\.\d+|Unstable)$/, 'must be like 2.14').default('2.14'),
  INTERCOM_API_URL: z.url().optional(),
  INTERCOM_AUTHORIZE_URL: z.url().default('https://app.intercom.com/oauth'),
  INTERCOM_TOKEN_URL: z.url().default('https://api.intercom.io/auth/eagle/token'),
  SLACK_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  SLACK_CLIENT_ID: z.string().optional(),
  SLACK_CLIENT_SECRET: z.string().optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_OAUTH_AUTHORIZE_URL: z.url({ protocol: /^https?$/ }).default('https://slack.com/oauth/v2/authorize'),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  mongodbUri: string | undefined;
  secretKey: string | undefined;
  bootstrap: { intakeKey?: string; reviewKey?: string; callbackSecret?: string };
  allowPrivateCallbacks: boolean;
  retrySchedule: number[];
  maxWaitMs: number;
  deliveryTimeoutMs: number;
  deliveryConcurrency: number;
  /** Attempts in flight per workspace and per destination host, on each instance. */
  deliveryPerWorkspace: number;
  deliveryPerHost: number;
  /** How long a failing host is left alone before a probe; doubles with each failed probe, up to 5 min. */
  deliveryHostCooldownMs: number;
  /** How often each instance looks for work other instances may have left: due deliveries, expiries, decisions. */
  pollIntervalMs: number;
  streamHeartbeatMs: number;
  streamOrigins: string[];
  bodyLimitBytes: number;
  /** How long platform notifications are de-duplicated; one older than this is ignored (it could be a replay). */
  eventDedupWindowMs: number;
  sqliteSynchronous: 'full' | 'normal';
  logLevel: string;
  publicUrl: string | undefined;
  playground: boolean;
  rateLimits: RateLimitConfig;
  /** Express's `trust proxy`: whose X-Forwarded-For to believe when taking the client's address. */
  trustProxy: boolean | number | string[];
  intercom: IntercomConfig;
  slack: SlackConfig;
}

export interface SlackConfig {
  /**
   * SLACK_API_URL: the Web API base every Slack call goes to, for every workspace (tests, fakes, a
   * proxy); unset means https://slack.com/api (or a workspace link's own base, which only the
   * playground sets for its fake Slack).
   */
  apiUrl: string | undefined;
  /** SLACK_CLIENT_ID and SLACK_CLIENT_SECRET: the distributed Slack app's OAuth credentials, for "Add to Slack". */
  clientId: string | undefined;
  clientSecret: string | undefined;
  /** SLACK_SIGNING_SECRET: the distributed app's one signing secret, which verifies interactions from every OAuth-installed team. */
  signingSecret: string | undefined;
  /** Where "Add to Slack" sends the browser (a fake in tests and the playground). */
  authorizeUrl: string;
}

/** Requests per second (bursts of twice that pass); 0 turns a limit off. */
export interface RateLimitConfig {
  /** Per API key, on /api. */
  perKey: number;
  /** Per client address, on /api. */
  apiPerIp: number;
  /** Per client address, on the platform endpoints (Intercom webhooks and canvas, OAuth, request pages). */
  platformPerIp: number;
}

export interface IntercomConfig {
  clientId: string | undefined;
  /** Signs Intercom's webhooks and canvas requests, and is sent with the OAuth code exchange. */
  clientSecret: string | undefined;
  /** The Messenger's app id, for the playground's live Messenger. */
  appId: string | undefined;
  apiVersion: string;
  /** Replaces every region's REST base URL (tests and fakes); unset means by the workspace's region. */
  apiUrl: string | undefined;
  authorizeUrl: string;
  tokenUrl: string;
}

export class ConfigError extends Error {}

/** `false`/`true`, a number of proxy hops, or a comma-separated list of addresses and subnets. */
function trustProxy(value: string): boolean | number | string[] | null {
  const v = value.trim().toLowerCase();
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  if (['true', 'yes', 'on'].includes(v)) return true;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const entries = v.split(',').map((entry) => entry.trim()).filter(Boolean);
  const valid = entries.every((entry) => /^(loopback|linklocal|uniquelocal)$/.test(entry) || /^[0-9a-f.:]+(\/\d{1,3})?$/.test(entry));
  return entries.length > 0 && valid ? entries : null;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // `NAME=` in an env file means "not set", not "set to nothing".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.COUNTERSIGN_DATA_DIR),
    mongodbUri: e.MONGODB_URI,
    secretKey: e.COUNTERSIGN_SECRET_KEY,
    bootstrap: {
      intakeKey: e.COUNTERSIGN_BOOTSTRAP_INTAKE_KEY,
      reviewKey: e.COUNTERSIGN_BOOTSTRAP_REVIEW_KEY,
      callbackSecret: e.COUNTERSIGN_BOOTSTRAP_CALLBACK_SECRET,
    },
    allowPrivateCallbacks: e.COUNTERSIGN_ALLOW_PRIVATE_CALLBACKS,
    retrySchedule: e.COUNTERSIGN_RETRY_SCHEDULE,
    maxWaitMs: e.COUNTERSIGN_MAX_WAIT_MS,
    deliveryTimeoutMs: e.COUNTERSIGN_DELIVERY_TIMEOUT,
    deliveryConcurrency: e.COUNTERSIGN_DELIVERY_CONCURRENCY,
    deliveryPerWorkspace: e.COUNTERSIGN_DELIVERY_PER_WORKSPACE,
    deliveryPerHost: e.COUNTERSIGN_DELIVERY_PER_HOST,
    deliveryHostCooldownMs: e.COUNTERSIGN_DELIVERY_HOST_COOLDOWN,
    pollIntervalMs: e.COUNTERSIGN_POLL_INTERVAL,
    streamHeartbeatMs: e.COUNTERSIGN_STREAM_HEARTBEAT,
    streamOrigins: e.COUNTERSIGN_STREAM_ORIGINS,
    bodyLimitBytes: e.COUNTERSIGN_BODY_LIMIT_KB * 1024,
    eventDedupWindowMs: e.COUNTERSIGN_EVENT_DEDUP_WINDOW,
    sqliteSynchronous: e.COUNTERSIGN_SQLITE_SYNCHRONOUS,
    logLevel: e.COUNTERSIGN_LOG_LEVEL,
    publicUrl: e.COUNTERSIGN_PUBLIC_URL,
    playground: e.COUNTERSIGN_PLAYGROUND ?? e.NODE_ENV !== 'production',
    rateLimits: {
      perKey: e.COUNTERSIGN_RATE_LIMIT_PER_KEY,
      apiPerIp: e.COUNTERSIGN_RATE_LIMIT_PER_IP,
      platformPerIp: e.COUNTERSIGN_RATE_LIMIT_PLATFORM_PER_IP,
    },
    trustProxy: e.COUNTERSIGN_TRUST_PROXY,
    intercom: {
      clientId: e.INTERCOM_CLIENT_ID,
      clientSecret: e.INTERCOM_CLIENT_SECRET,
      appId: e.INTERCOM_APP_ID,
      apiVersion: e.INTERCOM_API_VERSION,
      apiUrl: e.INTERCOM_API_URL?.replace(/\/+$/, ''),
      authorizeUrl: e.INTERCOM_AUTHORIZE_URL,
      tokenUrl: e.INTERCOM_TOKEN_URL,
    },
    slack: {
      apiUrl: e.SLACK_API_URL?.replace(/\/+$/, ''),
      clientId: e.SLACK_CLIENT_ID,
      clientSecret: e.SLACK_CLIENT_SECRET,
      signingSecret: e.SLACK_SIGNING_SECRET,
      authorizeUrl: e.SLACK_OAUTH_AUTHORIZE_URL,
    },
  };
}

/** `https://a.example, http://localhost:3000` → the origins, or null when one is not an origin. */
function streamOrigins(value: string): string[] | null {
  const origins: string[] = [];
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    let url: URL;
    try {
      url = new URL(part);
    } catch {
      return null;
    }
    if (url.origin !== part.replace(/\/+$/, '') || !/^https?:$/.test(url.protocol)) return null;
    origins.push(url.origin);
  }
  return origins;
}
