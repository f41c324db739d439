// Running Countersign as a process: configuration from the environment, the banner, and a drained stop
// on SIGTERM/SIGINT (or when the npm that started it goes away). The executable (bin/countersign.ts)
// calls this with the extensions it runs beside the API.
import { ConfigError, loadConfig, type Config } from '../config/config';
import { SecretKeyError } from '../secrets/master-key';
import { createLogger } from '../monitoring/log';
import type { BootstrapCredentials } from '../workspaces/bootstrap';
import { startCountersign } from './countersign';
import type { CountersignExtension } from './extension';
import { startedByNpm, whenParentExits } from './parent-watch';

export interface RunOptions {
  /** What runs beside the API, chosen from the configuration (the playground when it is on). */
  extensions?: (config: Config) => Promise<CountersignExtension[]>;
}

export function runFromEnvironment(options: RunOptions = {}): void {
  run(options).catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof SecretKeyError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`Countersign failed to start: ${(error as Error).stack ?? String(error)}\n`);
    }
    process.exit(1);
  });
}

async function run(options: RunOptions): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const app = await startCountersign(config, { log, extensions: (await options.extensions?.(config)) ?? [] });

  let stopping = false;
  const shutdown = (signal: string) => {
    // Ctrl-C reaches the server twice under npm (from the terminal, and forwarded by npm): a repeat
    // must not cut the drain short, so the listeners stay and later signals are only noted.
    if (stopping) return void log.info({ signal }, 'already shutting down');
    stopping = true;
    log.info({ signal }, 'shutting down: draining requests and deliveries');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // Before the banner: whoever reads it may stop the server at once (a Ctrl-C, a supervisor), and a
  // signal with no handler yet kills the process without draining. Writing to a pipe wakes its reader,
  // which the scheduler often runs before this process gets to the next line.
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  if (startedByNpm()) whenParentExits(() => shutdown('parent exited'));
  log.info({ url: app.url, store: app.store.kind }, 'listening');
  process.stdout.write(banner(app.url, app.store.kind, app.bootstrap, config.playground));
}

function banner(url: string, store: string, credentials: BootstrapCredentials | null, playground: boolean): string {
  const lines = ['', `  Countersign is running at ${url}  (store: ${store})`];
  if (playground) lines.push(`  Playground (a Zendesk ticket with the sidebar app, an Intercom inbox with the canvas app): ${url}/playground`);
  if (credentials) {
    const show = (value: string, fromEnv: boolean) => (fromEnv ? '(from the environment)' : value);
    lines.push(
      '',
      `  First start: created the "${credentials.workspace}" workspace. These are shown once; keep them safe.`,
      `    intake key (automations, x-api-key):        ${show(credentials.intakeKey, credentials.fromEnvironment.intakeKey)}`,
      `    review key (reviewers, Authorization: Bearer): ${show(credentials.reviewKey, credentials.fromEnvironment.reviewKey)}`,
      `    callback secret (verifies webhook-signature): ${show(credentials.callbackSecret, credentials.fromEnvironment.callbackSecret)}`,
    );
  }
  return `${lines.join('\n')}\n\n`;
}

