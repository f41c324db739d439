// `npm run bench`: Countersign's intake throughput against a bare Express + SQLite baseline, its
// decision-to-callback latency (alone, and while another workspace floods receivers that never
// answer), a sustained fixed-rate intake run, thousands of synchronous waiters
// released by decisions, Intercom webhook acknowledgements under intake load, the CPU a 50-rule
// policy adds to each intake request, how soon new requests reach open streams (and what idle
// streams cost), and Slack messages posted and updated through the outbox at a fake Slack Web API.
// Each part runs on
// its own Countersign child process with a fresh temp data dir and a free port (rate limits and the
// playground off); `npm run bench -- sustained waiters` runs only the parts named.
//
// Environment: BENCH_DURATION_S (10), BENCH_WARMUP_S (5), BENCH_ROUNDS (5), BENCH_CONNECTIONS (32),
// BENCH_CALLBACKS (300 per pass), BENCH_CALLBACK_CONCURRENCY (1,8: one pass each), BENCH_CALLBACK_TIMEOUT_MS (10000),
// BENCH_FAIRNESS_FLOOD (160 callbacks to hanging hosts), BENCH_FAIRNESS_CALLBACKS (100 measured, one at a time),
// BENCH_SUSTAINED_S (60), BENCH_SUSTAINED_RATE (500 req/s, also the intake rate beside the Intercom webhooks),
// BENCH_WAITERS (10000), BENCH_WAITER_MAX_WAIT_MS (120000), BENCH_WAITER_DECISION_CONCURRENCY (32), BENCH_WAITER_OPEN_RATE (1000/s),
// BENCH_INTERCOM_S (20), BENCH_INTERCOM_RATE (20/s), BENCH_SLACK_REQUESTS (200), BENCH_SLACK_CONCURRENCY (4),
// BENCH_POLICY_ROUND_S (3), BENCH_POLICY_ROUNDS (12; two servers at once, one with the policy's requests, swapping each round), BENCH_POLICY_CONNECTIONS (8),
// BENCH_REACH_STREAMS (100), BENCH_REACH_RATE (50/s), BENCH_REACH_S (10), BENCH_REACH_IDLE_STREAMS (1000),
// COUNTERSIGN_LOG_LEVEL (info), COUNTERSIGN_SQLITE_SYNCHRONOUS (full), BENCH_CPU_PROFILE_DIR,
// BENCH_STRICT (exit 1 when a performance target is missed).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureCallbackLatency, type CallbackLatencyResult } from './callback-latency';
import { measureFairness } from './fairness';
import { compareIntake, type IntakeComparison } from './intake-comparison';
import { checkIntake } from './intake-load';
import { measureIntercomAck } from './intercom-ack';
import { measurePolicyCost, policyWorkspace } from './policy-cost';
import { BenchSlackApi, linkBenchWorkspace, measureSlackMessages } from './slack-messages';
import { watchMachineLoad } from './machine-load';
import { SERVER_NODE_FLAGS } from '../server/src/app/node-flags';
import { startServer, stopAllServers, type RunningServer, type ServerSpec } from './processes';
import { judge, printReport, type BenchOutcome, type PartRun } from './report';
import { SEED_INTAKE_BODY } from './seed-request';
import { readSettings, SettingsError, type BenchSettings, type Part } from './settings';
import { measureStreamReach } from './stream-reach';
import { measureSustained } from './sustained-rate';
import { measureSyncWaiters } from './sync-waiters';

interface Credentials {
  intakeKey: string;
  reviewKey: string;
  callbackSecret: string;
  intercomSecret: string;
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
      intercomSecret: randomBytes(24).toString('hex'),
    };
    progress(`parts: ${settings.parts.join(', ')}; Countersign log level ${settings.logLevel}, SQLite synchronous ${settings.sqliteSynchronous}`);

    const outcome: BenchOutcome = {
      settings,
      bodyBytes: Buffer.byteLength(JSON.stringify(SEED_INTAKE_BODY)),
      intake: null,
      callbacks: null,
      fairness: null,
      sustained: null,
      waiters: null,
      intercom: null,
      reach: null,
      policy: null,
      slack: null,
      runs: [],
    };
    // The fake Slack Web API the slack part's server calls (its SLACK_API_URL), up before that server starts.
    const slackApi = settings.parts.includes('slack') ? new BenchSlackApi() : null;
    await slackApi?.start();
    const parts: Record<Part, (server: RunningServer) => Promise<void>> = {
      intake: async (countersign) => {
        progress(
          `intake: ${settings.connections} connections, ${settings.warmupS} s warm-up + ${settings.durationS} s measured in ${settings.rounds} round(s) per server`,
        );
        outcome.intake = await runIntake(settings, scratch, countersign, credentials);
      },
      callbacks: async (countersign) => {
        outcome.callbacks = await runCallbacks(settings, countersign, credentials);
      },
      fairness: async (countersign) => {
        progress(`fairness: another workspace queues ${settings.fairnessFlood} callbacks to hosts that never answer; then ${settings.fairnessCallbacks} decisions, one at a time`);
        const { env } = countersignSpec(settings, scratch, credentials, 'fairness');
        outcome.fairness = await measureFairness({ baseUrl: countersign.url, ...credentials }, env, {
          flood: settings.fairnessFlood,
          approvals: settings.fairnessCallbacks,
          timeoutMs: settings.callbackTimeoutMs,
        });
        progress(`fairness: callback p99 ${outcome.fairness.measured.p99Ms.toFixed(1)} ms while flooded`);
      },
      sustained: async (countersign) => {
        progress(`sustained: ${settings.sustainedRate} intake requests/s for ${settings.sustainedS} s, open loop`);
        outcome.sustained = await measureSustained(countersign, credentials.intakeKey, { ratePerSec: settings.sustainedRate, durationS: settings.sustainedS });
        progress(`sustained: ${outcome.sustained.load.achievedPerSec.toFixed(0)} req/s achieved, p99 ${outcome.sustained.load.p99Ms.toFixed(1)} ms`);
      },
      waiters: async (countersign) => {
        progress(`waiters: opening ${settings.waiters} synchronous intake requests (maxWaitMs ${settings.waiterMaxWaitMs}) at ${settings.waiterOpenRate}/s`);
        outcome.waiters = await measureSyncWaiters(
          countersign,
          credentials,
          { waiters: settings.waiters, maxWaitMs: settings.waiterMaxWaitMs, decisionConcurrency: settings.waiterDecisionConcurrency, openPerSec: settings.waiterOpenRate },
          progress,
        );
      },
      intercom: async (countersign) => {
        progress(`intercom: ${settings.intercomRate} signed notifications/s beside ${settings.sustainedRate} intake requests/s for ${settings.intercomS} s`);
        outcome.intercom = await measureIntercomAck(countersign, credentials, {
          durationS: settings.intercomS,
          warmupS: settings.warmupS,
          intakePerSec: settings.sustainedRate,
          notificationsPerSec: settings.intercomRate,
        });
        progress(`intercom: acknowledgement p99 ${outcome.intercom.acks.p99Ms.toFixed(1)} ms`);
      },
      reach: async (countersign) => {
        progress(`reach: ${settings.reachStreams} open streams, intake at ${settings.reachRate}/s for ${settings.reachS} s, then ${settings.reachIdleStreams} idle streams`);
        outcome.reach = await measureStreamReach(countersign, credentials, { streams: settings.reachStreams, ratePerSec: settings.reachRate, durationS: settings.reachS, idleStreams: settings.reachIdleStreams });
        progress(`reach: stream event p50 ${outcome.reach.p50Ms.toFixed(1)} ms, p99 ${outcome.reach.p99Ms.toFixed(1)} ms; ${outcome.reach.idle.streams} idle streams +${outcome.reach.idle.addedMb.toFixed(1)} MB`);
      },
      policy: async (countersign) => {
        // A second Countersign beside the part's own, with a data dir of its own: the two are loaded at once.
        const second = countersignSpec(settings, scratch, credentials, 'policy', 'policy-2');
        const other = await start(second);
        try {
          const workspaces = await Promise.all([countersignSpec(settings, scratch, credentials, 'policy').env, second.env].map((env) => policyWorkspace(env, scratch)));
          const rules = workspaces[0]!.rules;
          progress(`policy: ${settings.policyRounds} rounds of ${settings.policyRoundS} s, two servers at once, one sending to a workspace with a ${rules}-rule policy, one to a workspace without; ${settings.policyConnections} connections each`);
          outcome.policy = await measurePolicyCost(
            [{ server: countersign, withPolicy: workspaces[0]!.intakeKey, withoutPolicy: credentials.intakeKey }, { server: other, withPolicy: workspaces[1]!.intakeKey, withoutPolicy: credentials.intakeKey }],
            rules,
            { roundS: settings.policyRoundS, rounds: settings.policyRounds, connections: settings.policyConnections },
            progress,
          );
          progress(`policy: CPU per request with the policy / without, median ${outcome.policy.medianRatio.toFixed(3)}`);
        } finally {
          await other.stop();
        }
      },
      slack: async (countersign) => {
        progress(`slack: linking the workspace (slack link), then ${settings.slackRequests} requests posted and decided, ${settings.slackConcurrency} at a time`);
        await linkBenchWorkspace(slackApi!, countersignSpec(settings, scratch, credentials, 'slack', 'slack', slackApi?.url).env.COUNTERSIGN_DATA_DIR!);
        outcome.slack = await measureSlackMessages(slackApi!, { baseUrl: countersign.url, ...credentials }, { requests: settings.slackRequests, concurrency: settings.slackConcurrency });
        progress(`slack: intake → chat.postMessage p50 ${outcome.slack.post.p50Ms.toFixed(1)} ms, decision → chat.update p50 ${outcome.slack.update.p50Ms.toFixed(1)} ms`);
      },
    };
    for (const part of settings.parts) outcome.runs.push(await runPart(part, settings, scratch, credentials, parts[part], slackApi?.url));
    await slackApi?.stop();

    const verdict = judge(outcome);
    printReport(outcome, verdict);
    if (!verdict.correct) return 1;
    if (settings.strict && !verdict.targetsMet) return 1;
    return 0;
  } finally {
    await cleanUp();
  }
}

/** One part: a fresh Countersign process and data dir, the part's load, the server stopped (profiles are written on exit). */
async function runPart(part: Part, settings: BenchSettings, scratch: string, credentials: Credentials, measure: (server: RunningServer) => Promise<void>, slackApiUrl?: string): Promise<PartRun> {
  const started = performance.now();
  const profilesBefore = settings.cpuProfileDir ? new Set(cpuProfilesIn(settings.cpuProfileDir)) : new Set<string>();
  const countersign = await start(countersignSpec(settings, scratch, credentials, part, part, slackApiUrl));
  const watch = watchMachineLoad(() => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000 + countersign.cpuMs();
  });
  let machineLoad;
  try {
    await checkIntake({ baseUrl: countersign.url, headers: { 'x-api-key': credentials.intakeKey } });
    await measure(countersign);
  } finally {
    machineLoad = watch.stop();
    await countersign.stop();
  }
  const cpuProfiles = settings.cpuProfileDir ? cpuProfilesIn(settings.cpuProfileDir).filter((file) => !profilesBefore.has(file)) : [];
  return { part, durationS: (performance.now() - started) / 1000, machineLoad, cpuProfiles };
}

async function runIntake(settings: BenchSettings, scratch: string, countersign: RunningServer, credentials: Credentials): Promise<IntakeComparison> {
  const baseline = await start(baselineSpec(settings, scratch));
  try {
    await checkIntake({ baseUrl: baseline.url, headers: {} });
    return await compareIntake(
      { server: countersign, headers: { 'x-api-key': credentials.intakeKey } },
      { server: baseline, headers: {} },
      { connections: settings.connections, durationS: settings.durationS, warmupS: settings.warmupS, rounds: settings.rounds },
      progress,
    );
  } finally {
    await baseline.stop();
  }
}

async function runCallbacks(settings: BenchSettings, countersign: RunningServer, credentials: Credentials): Promise<CallbackLatencyResult[]> {
  const callbacks = [];
  for (const concurrency of settings.callbackConcurrency) {
    progress(`callbacks: deciding ${settings.callbacks} approvals, ${concurrency} at a time, and waiting for their callbacks`);
    callbacks.push(
      await measureCallbackLatency({ baseUrl: countersign.url, ...credentials }, { approvals: settings.callbacks, concurrency, timeoutMs: settings.callbackTimeoutMs }),
    );
  }
  return callbacks;
}

async function start(spec: ServerSpec): Promise<RunningServer> {
  progress(`${spec.name}: starting ${spec.entry}`);
  const server = await startServer(spec);
  progress(`${spec.name}: pid ${server.pid} ready at ${server.url}`);
  return server;
}

/** `name` tells apart two servers of one part (it names the data dir and the log); `slackApiUrl` is the slack part's fake Slack. */
function countersignSpec(settings: BenchSettings, scratch: string, credentials: Credentials, part: Part, name: string = part, slackApiUrl?: string): ServerSpec {
  const env = inheritedEnv();
  Object.assign(env, {
    COUNTERSIGN_DATA_DIR: path.join(scratch, `countersign-${name}-data`),
    COUNTERSIGN_BOOTSTRAP_INTAKE_KEY: credentials.intakeKey,
    COUNTERSIGN_BOOTSTRAP_REVIEW_KEY: credentials.reviewKey,
    COUNTERSIGN_BOOTSTRAP_CALLBACK_SECRET: credentials.callbackSecret,
    COUNTERSIGN_ALLOW_PRIVATE_CALLBACKS: 'true',
    COUNTERSIGN_LOG_LEVEL: settings.logLevel,
    COUNTERSIGN_SQLITE_SYNCHRONOUS: settings.sqliteSynchronous,
    COUNTERSIGN_PLAYGROUND: 'false',
    // The bench is one client on loopback sending far more than any limit allows one key or address.
    COUNTERSIGN_RATE_LIMIT_PER_KEY: '0',
    COUNTERSIGN_RATE_LIMIT_PER_IP: '0',
    COUNTERSIGN_RATE_LIMIT_PLATFORM_PER_IP: '0',
    COUNTERSIGN_MAX_WAIT_MS: part === 'waiters' ? String(settings.waiterMaxWaitMs) : undefined,
    INTERCOM_CLIENT_SECRET: credentials.intercomSecret,
    SLACK_API_URL: part === 'slack' ? slackApiUrl : undefined,
    COUNTERSIGN_SECRET_KEY: undefined,
    COUNTERSIGN_PUBLIC_URL: undefined,
  });
  return {
    name: `countersign (${name})`,
    entry: 'bin/countersign.ts',
    // Started as `npm start` starts it.
    nodeFlags: [...SERVER_NODE_FLAGS, ...(settings.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(settings.cpuProfileDir)] : [])],
    env,
    logFile: path.join(scratch, `countersign-${name}.log`),
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
