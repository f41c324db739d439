// What a bench run does, read from the environment. Defaults keep a full run around a minute.

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const SYNCHRONOUS = ['full', 'normal'] as const;

export interface BenchSettings {
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

export function readSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  return {
    durationS: positiveNumber(env, 'BENCH_DURATION_S', 10),
    warmupS: nonNegativeNumber(env, 'BENCH_WARMUP_S', 5),
    rounds: positiveInteger(env, 'BENCH_ROUNDS', 5),
    connections: positiveInteger(env, 'BENCH_CONNECTIONS', 32),
    callbacks: positiveInteger(env, 'BENCH_CALLBACKS', 300),
    callbackConcurrency: positiveIntegerList(env, 'BENCH_CALLBACK_CONCURRENCY', [1, 8]),
    callbackTimeoutMs: positiveInteger(env, 'BENCH_CALLBACK_TIMEOUT_MS', 10_000),
    logLevel: oneOf(env, 'COUNTERSIGN_LOG_LEVEL', LOG_LEVELS, 'info'),
    sqliteSynchronous: oneOf(env, 'COUNTERSIGN_SQLITE_SYNCHRONOUS', SYNCHRONOUS, 'full'),
    cpuProfileDir: env.BENCH_CPU_PROFILE_DIR?.trim() || null,
    strict: ['1', 'true', 'yes', 'on'].includes((env.BENCH_STRICT ?? '').toLowerCase()),
  };
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
