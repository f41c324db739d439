// Starts a real Countersign (real HTTP on loopback, real SQLite file in a temp dir) for a test.
import { Writable } from 'node:stream';
import { playgroundExtension } from '@countersign/playground';
import { CountersignClient } from '@countersign/shared';
import { loadConfig, type Config } from '@countersign/server/config';
import { startCountersign, type RunningCountersign, type StartOptions } from '@countersign/server/app';
import { createLogger } from '@countersign/server/monitoring';
import { makeTempDir } from './temp-dir';

export const INTAKE_KEY = 'cs_live_testIntakeKey0000000000000000000000';
/** The first-start review key: a personal key of reviewer {id: "admin", name: "Admin"}. */
export const ADMIN_REVIEW_KEY = 'cs_review_testReviewKey000000000000000000000';
/**
 * A delegating review key (a trusted tool naming its user in each decision), issued beside the
 * bootstrap keys: suites decide with it as `reviewer` below unless they test identities themselves.
 */
export const REVIEW_KEY = 'cs_review_testDelegatingKey00000000000000000';
/** The Standard Webhooks specification's example secret. */
export const CALLBACK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

export interface TestServer {
  app: RunningCountersign;
  url: string;
  dataDir: string;
  config: Config;
  intake: CountersignClient;
  review: CountersignClient;
  /** Every log line the server wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  rawLogs: string[];
  stop(): Promise<void>;
  /** Stops and deletes the data dir. */
  close(): Promise<void>;
}

export interface TestServerOptions extends StartOptions {
  env?: Record<string, string>;
  /** Reuse a data dir (restarts, several instances on one store). */
  dataDir?: string;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const temp = options.dataDir ? null : makeTempDir('server');
  const dataDir = options.dataDir ?? temp!.dir;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    COUNTERSIGN_DATA_DIR: dataDir,
    COUNTERSIGN_BOOTSTRAP_INTAKE_KEY: INTAKE_KEY,
    COUNTERSIGN_BOOTSTRAP_REVIEW_KEY: ADMIN_REVIEW_KEY,
    COUNTERSIGN_BOOTSTRAP_CALLBACK_SECRET: CALLBACK_SECRET,
    COUNTERSIGN_ALLOW_PRIVATE_CALLBACKS: 'true',
    COUNTERSIGN_RETRY_SCHEDULE: '100ms,200ms,300ms',
    COUNTERSIGN_POLL_INTERVAL: '100ms',
    COUNTERSIGN_DELIVERY_TIMEOUT: '2s',
    // Suites make one receiver fail on purpose and then expect it back soon after.
    COUNTERSIGN_DELIVERY_HOST_COOLDOWN: '250ms',
    COUNTERSIGN_LOG_LEVEL: 'info',
    COUNTERSIGN_PLAYGROUND: 'false',
    // Suites send bursts on purpose; test/proof/rate-limits.test.ts turns the limits on.
    COUNTERSIGN_RATE_LIMIT_PER_KEY: '0',
    COUNTERSIGN_RATE_LIMIT_PER_IP: '0',
    COUNTERSIGN_RATE_LIMIT_PLATFORM_PER_IP: '0',
    ...options.env,
  });
  const rawLogs: string[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        rawLogs.push(line);
        logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  // The playground runs beside the API when the test turns it on, as the executable runs it.
  const extensions = config.playground ? [playgroundExtension()] : [];
  const app = await startCountersign(config, { log: createLogger(config.logLevel, sink), drainMs: 5000, extensions, ...options });
  if (app.bootstrap) {
    const workspace = (await app.store.workspaces.findByName(app.bootstrap.workspace))!;
    await app.workspaces.issueKey(workspace, 'review', { key: REVIEW_KEY, label: 'test tool', reviewer: { kind: 'delegating' } });
  }
  const stop = () => app.stop();
  return {
    app,
    url: app.url,
    dataDir,
    config,
    intake: new CountersignClient({ baseUrl: app.url, intakeKey: INTAKE_KEY }),
    review: new CountersignClient({ baseUrl: app.url, reviewKey: REVIEW_KEY }),
    logs,
    rawLogs,
    stop,
    close: async () => {
      await stop();
      temp?.remove();
    },
  };
}

/** A raw HTTP call, for what the typed client would refuse to send. */
export async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; json?: unknown } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers = { ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(init.json);
  }
  const response = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // keep text
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

export const reviewer = { id: '381', name: 'Ana Reviewer', email: 'ana@example.com', via: 'api' as const };
