// `npm run bench`: Countersign's intake throughput against a bare Express + SQLite baseline, and
// its decision-to-callback latency. Each server runs as its own child process on a fresh temp data
// dir and a free port; load goes to one server at a time.
//
// Environment: BENCH_DURATION_S (10), BENCH_WARMUP_S (5), BENCH_ROUNDS (5), BENCH_CONNECTIONS (32),
// BENCH_CALLBACKS (300 per pass), BENCH_CALLBACK_CONCURRENCY (1,8: one pass each), BENCH_CALLBACK_TIMEOUT_MS (10000),
// COUNTERSIGN_LOG_LEVEL (info), COUNTERSIGN_SQLITE_SYNCHRONOUS (full), BENCH_CPU_PROFILE_DIR,
// BENCH_STRICT (exit 1 when a performance target is missed).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureCallbackLatency } from './callback-latency';
import { compareIntake } from './intake-comparison';
import { checkIntake } from './intake-load';
import { startServer, stopAllServers, type RunningServer, type ServerSpec } from './processes';
import { judge, printReport } from './report';
import { SEED_INTAKE_BODY } from './seed-request';
import { readSettings, SettingsError, type BenchSettings } from './settings';

interface Credentials {
  intakeKey: string;
  reviewKey: string;
  callbackSecret: string;
}

async function main(): Promise<number> {
  const settings = readSettings();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-bench-'));
  const cleanUp = async () => {
    await stopAllServers();
    fs.rmSync(scratch, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      progress(`${signal}: stopping the servers`);
      void cleanUp().finally(() => process.exit(130));
    });
  }

  try {
    const credentials: Credentials = {
      intakeKey: `cs_live_bench${randomBytes(16).toString('hex')}`,
      reviewKey: `cs_review_bench${randomBytes(16).toString('hex')}`,
      callbackSecret: `whsec_${randomBytes(32).toString('base64')}`,
    };
    progress(
      `Countersign log level ${settings.logLevel}, SQLite synchronous ${settings.sqliteSynchronous}; ${settings.connections} connections, ` +
        `${settings.warmupS} s warm-up + ${settings.durationS} s measured in ${settings.rounds} round(s) per server`,
    );

    const countersign = await start(countersignSpec(settings, scratch, credentials));
    const baseline = await start(baselineSpec(settings, scratch));
    const countersignHeaders = { 'x-api-key': credentials.intakeKey };
    await checkIntake({ baseUrl: countersign.url, headers: countersignHeaders });
    await checkIntake({ baseUrl: baseline.url, headers: {} });

    const intake = await compareIntake(
      { server: countersign, headers: countersignHeaders },
      { server: baseline, headers: {} },
      { connections: settings.connections, durationS: settings.durationS, warmupS: settings.warmupS, rounds: settings.rounds },
      progress,
    );
    await baseline.stop();

    const callbacks = [];
    for (const concurrency of settings.callbackConcurrency) {
      progress(`countersign: deciding ${settings.callbacks} approvals, ${concurrency} at a time, and waiting for their callbacks`);
      callbacks.push(
        await measureCallbackLatency({ baseUrl: countersign.url, ...credentials }, { approvals: settings.callbacks, concurrency, timeoutMs: settings.callbackTimeoutMs }),
      );
    }
    await countersign.stop(); // before reading profiles: --cpu-prof writes on exit

    const outcome = {
      settings,
      bodyBytes: Buffer.byteLength(JSON.stringify(SEED_INTAKE_BODY)),
      countersign: intake.countersign,
      baseline: intake.baseline,
      roundRatios: intake.roundRatios,
      callbacks,
      machineLoad: intake.machineLoad,
      cpuProfiles: settings.cpuProfileDir ? cpuProfilesIn(settings.cpuProfileDir) : [],
    };
    const verdict = judge(outcome);
    printReport(outcome, verdict);
    if (!verdict.correct) return 1;
    if (settings.strict && !(verdict.ratioMet && verdict.callbackP50Met.every(Boolean))) return 1;
    return 0;
  } finally {
    await cleanUp();
  }
}

async function start(spec: ServerSpec): Promise<RunningServer> {
  progress(`${spec.name}: starting ${spec.entry}`);
  const server = await startServer(spec);
  progress(`${spec.name}: pid ${server.pid} ready at ${server.url}`);
  return server;
}

function countersignSpec(settings: BenchSettings, scratch: string, credentials: Credentials): ServerSpec {
  const env = inheritedEnv();
  Object.assign(env, {
    COUNTERSIGN_DATA_DIR: path.join(scratch, 'countersign-data'),
    COUNTERSIGN_BOOTSTRAP_INTAKE_KEY: credentials.intakeKey,
    COUNTERSIGN_BOOTSTRAP_REVIEW_KEY: credentials.reviewKey,
    COUNTERSIGN_BOOTSTRAP_CALLBACK_SECRET: credentials.callbackSecret,
    COUNTERSIGN_ALLOW_PRIVATE_CALLBACKS: 'true',
    COUNTERSIGN_LOG_LEVEL: settings.logLevel,
    COUNTERSIGN_SQLITE_SYNCHRONOUS: settings.sqliteSynchronous,
    COUNTERSIGN_SECRET_KEY: undefined,
    COUNTERSIGN_PUBLIC_URL: undefined,
  });
  return {
    name: 'countersign',
    entry: 'server/src/main.ts',
    nodeFlags: settings.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(settings.cpuProfileDir)] : [],
    env,
    logFile: path.join(scratch, 'countersign.log'),
    readyPath: '/readyz',
  };
}

function baselineSpec(settings: BenchSettings, scratch: string): ServerSpec {
  const env = inheritedEnv();
  Object.assign(env, {
    BASELINE_DATA_DIR: path.join(scratch, 'baseline-data'),
    COUNTERSIGN_SQLITE_SYNCHRONOUS: settings.sqliteSynchronous,
  });
  return { name: 'baseline', entry: 'bench/baseline-server.ts', env, logFile: path.join(scratch, 'baseline.log'), readyPath: '/readyz' };
}

/** The bench's own environment, minus what would point a server at something other than a fresh SQLite store. */
function inheritedEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'production' };
  delete env.MONGODB_URI;
  return env;
}

function cpuProfilesIn(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((file) => file.endsWith('.cpuprofile'))
      .map((file) => path.join(path.resolve(dir), file));
  } catch {
    return [];
  }
}

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof SettingsError ? error.message : ((error as Error).stack ?? String(error))}\n`);
    void stopAllServers().finally(() => process.exit(2));
  },
);
