// What a bench run does, read from the environment and the command line (`npm run bench -- waiters`
// runs only the named parts). Defaults keep a full run around three minutes.

/** The measurements, in the order a full run takes them. */
export const PARTS = ['intake', 'callbacks', 'fairness', 'sustained', 'waiters', 'intercom', 'policy', 'reach', 'slack'] as const;
export type Part = (typeof PARTS)[number];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const SYNCHRONOUS = ['full', 'normal'] as const;

export interface BenchSettings {
  /** The measurements to run, in PARTS order (all when none is named). */
  parts: Part[];
  /** Measured seconds of intake load per server, all rounds together. */
  durationS: number;
  /** Unmeasured seconds of load on each server before the measured rounds. */
  warmupS: number;
  /** The measured seconds are split into this many alternating rounds (ABBA order). */
  rounds: number;
  connections: number;
  /** Approvals created and decided to measure decision-to-callback latency. */
  callbacks: number;
  /** Decisions in flight at once: one callback pass per entry (1 = pure latency, more = latency under load). */
  callbackConcurrency: number[];
  /** How long a callback may take to arrive before it counts as missing. */
  callbackTimeoutMs: number;
  /** Fairness: callbacks another workspace queues to hosts that never answer. */
  fairnessFlood: number;
  /** Fairness: the measured workspace's decisions, one at a time, during the flood. */
  fairnessCallbacks: number;
  /** Sustained run: seconds at a fixed arrival rate. */
  sustainedS: number;
  /** Intake requests per second, for the sustained run and alongside the Intercom webhooks. */
  sustainedRate: number;
  /** Intake requests held open at once, waiting for their decision. */
  waiters: number;
  /** maxWaitMs of each held request; the server's COUNTERSIGN_MAX_WAIT_MS is set to it. */
  waiterMaxWaitMs: number;
  /** Decisions in flight at once while releasing the held requests. */
  waiterDecisionConcurrency: number;
  /** Held requests opened per second. */
  waiterOpenRate: number;
  /** Seconds of Intercom webhooks under intake load. */
  intercomS: number;
  /** Intercom notifications per second. */
  intercomRate: number;
  /** Reach: streams open while intake runs, intake requests/s, seconds, and idle streams opened afterwards. */
  reachStreams: number;
  reachRate: number;
  reachS: number;
  reachIdleStreams: number;
  /** Policy cost: seconds per round (two servers loaded at once, one with the 50-rule policy, one without). */
  policyRoundS: number;
  /** Rounds (even; a pair swaps the servers' roles and gives one ratio). */
  policyRounds: number;
  policyConnections: number;
  /** Slack: requests posted (and then decided), and how many at a time. */
  slackRequests: number;
  slackConcurrency: number;
  /** Countersign's log level; production runs at info. */
  logLevel: (typeof LOG_LEVELS)[number];
  /** Applied to Countersign and to the baseline alike. */
  sqliteSynchronous: (typeof SYNCHRONOUS)[number];
  /** When set, the Countersign child runs with --cpu-prof and writes its profile into this directory. */
  cpuProfileDir: string | null;
  /** Exit non-zero when a performance target is missed (correctness failures always do). */
  strict: boolean;
}

export class SettingsError extends Error {}

export function readSettings(env: NodeJS.ProcessEnv = process.env, args: readonly string[] = process.argv.slice(2)): BenchSettings {
  return {
    parts: readParts(args),
    durationS: positiveNumber(env, 'BENCH_DURATION_S', 10),
    warmupS: nonNegativeNumber(env, 'BENCH_WARMUP_S', 5),
    rounds: positiveInteger(env, 'BENCH_ROUNDS', 5),
    connections: positiveInteger(env, 'BENCH_CONNECTIONS', 32),
    callbacks: positiveInteger(env, 'BENCH_CALLBACKS', 300),
    callbackConcurrency: positiveIntegerList(env, 'BENCH_CALLBACK_CONCURRENCY', [1, 8]),
    callbackTimeoutMs: positiveInteger(env, 'BENCH_CALLBACK_TIMEOUT_MS', 10_000),
    fairnessFlood: positiveInteger(env, 'BENCH_FAIRNESS_FLOOD', 160),
    fairnessCallbacks: positiveInteger(env, 'BENCH_FAIRNESS_CALLBACKS', 100),
    sustainedS: positiveNumber(env, 'BENCH_SUSTAINED_S', 60),
    sustainedRate: positiveNumber(env, 'BENCH_SUSTAINED_RATE', 500),
    waiters: positiveInteger(env, 'BENCH_WAITERS', 10_000),
    waiterMaxWaitMs: boundedInteger(env, 'BENCH_WAITER_MAX_WAIT_MS', 120_000, 10 * 60_000),
    waiterDecisionConcurrency: positiveInteger(env, 'BENCH_WAITER_DECISION_CONCURRENCY', 32),
    waiterOpenRate: positiveNumber(env, 'BENCH_WAITER_OPEN_RATE', 1000),
    intercomS: positiveNumber(env, 'BENCH_INTERCOM_S', 20),
    intercomRate: positiveNumber(env, 'BENCH_INTERCOM_RATE', 20),
    reachStreams: positiveInteger(env, 'BENCH_REACH_STREAMS', 100),
    reachRate: positiveNumber(env, 'BENCH_REACH_RATE', 50),
    reachS: positiveNumber(env, 'BENCH_REACH_S', 10),
    reachIdleStreams: positiveInteger(env, 'BENCH_REACH_IDLE_STREAMS', 1000),
    policyRoundS: positiveInteger(env, 'BENCH_POLICY_ROUND_S', 3),
    policyRounds: positiveInteger(env, 'BENCH_POLICY_ROUNDS', 12),
    policyConnections: positiveInteger(env, 'BENCH_POLICY_CONNECTIONS', 8),
    slackRequests: positiveInteger(env, 'BENCH_SLACK_REQUESTS', 200),
    slackConcurrency: positiveInteger(env, 'BENCH_SLACK_CONCURRENCY', 4),
    logLevel: oneOf(env, 'COUNTERSIGN_LOG_LEVEL', LOG_LEVELS, 'info'),
    sqliteSynchronous: oneOf(env, 'COUNTERSIGN_SQLITE_SYNCHRONOUS', SYNCHRONOUS, 'full'),
    cpuProfileDir: env.BENCH_CPU_PROFILE_DIR?.trim() || null,
    strict: ['1', 'true', 'yes', 'on'].includes((env.BENCH_STRICT ?? '').toLowerCase()),
  };
}

function readParts(args: readonly string[]): Part[] {
  const named = args.map((arg) => arg.trim().toLowerCase()).filter(Boolean);
  const unknown = named.filter((arg) => !(PARTS as readonly string[]).includes(arg));
  if (unknown.length > 0) throw new SettingsError(`unknown bench part(s) ${unknown.join(', ')}: choose from ${PARTS.join(', ')} (none = all)`);
  return named.length === 0 ? [...PARTS] : PARTS.filter((part) => named.includes(part));
}

function raw(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(raw(env, name) ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new SettingsError(`${name} must be a positive number (got "${env[name]}")`);
  return value;
}

function nonNegativeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(raw(env, name) ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new SettingsError(`${name} must be zero or a positive number (got "${env[name]}")`);
  return value;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = positiveNumber(env, name, fallback);
  if (!Number.isInteger(value)) throw new SettingsError(`${name} must be a whole number (got "${env[name]}")`);
  return value;
}

function boundedInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const value = positiveInteger(env, name, fallback);
  if (value > max) throw new SettingsError(`${name} must be at most ${max} (got "${env[name]}")`);
  return value;
}

function positiveIntegerList(env: NodeJS.ProcessEnv, name: string, fallback: number[]): number[] {
  const text = raw(env, name);
  if (text === undefined) return fallback;
  const values = text.split(',').map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v <= 0)) throw new SettingsError(`${name} must be whole numbers separated by commas, e.g. 1,8 (got "${env[name]}")`);
  return values;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
  const value = (raw(env, name) ?? fallback).toLowerCase();
  if (!(allowed as readonly string[]).includes(value)) throw new SettingsError(`${name} must be one of ${allowed.join(', ')} (got "${env[name]}")`);
  return value as T;
}
