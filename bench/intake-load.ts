// Intake load: autocannon posts the seed body to POST /api/webhooks/inbound over a fixed number of
// connections for a fixed time. One call is one slice of load; slices of the same server combine
// into one result (latencies are kept per response, so percentiles combine exactly).
import autocannon from 'autocannon';
import { ascending, percentile } from './percentile';
import { SEED_INTAKE_BODY } from './seed-request';

export const INTAKE_PATH = '/api/webhooks/inbound';

export interface IntakeTarget {
  baseUrl: string;
  /** Credentials and the like; content-type is always application/json. */
  headers: Record<string, string>;
  /** The server process's CPU clock in ms, read before and after each slice. */
  cpuMs: () => number;
}

export interface IntakeSlice {
  elapsedS: number;
  completed: number;
  /** Response time of each response, in ms. */
  latenciesMs: number[];
  statusCounts: Record<string, number>;
  non2xx: number;
  /** Socket errors (refused, reset…), not counting timeouts. */
  socketErrors: number;
  timeouts: number;
  /** CPU time the server used during the slice, in ms. */
  serverCpuMs: number;
}

export interface IntakeLoadResult {
  /** Completed requests over measured seconds, all slices together. */
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  completed: number;
  ok2xx: number;
  non2xx: number;
  socketErrors: number;
  timeouts: number;
  statusCounts: Record<string, number>;
  elapsedS: number;
  /** Server CPU time per completed request: what the code costs, whatever else the machine runs. */
  cpuMsPerRequest: number;
}

/** Sends the seed body once and checks the answer, so a misconfigured run cannot report fast 401s. */
export async function checkIntake(target: Pick<IntakeTarget, 'baseUrl' | 'headers'>): Promise<void> {
  const response = await fetch(target.baseUrl + INTAKE_PATH, { method: 'POST', headers: requestHeaders(target.headers), body: JSON.stringify(SEED_INTAKE_BODY) });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`intake check against ${target.baseUrl} answered ${response.status}, expected 201: ${text.slice(0, 300)}`);
}

export async function fireIntake(target: IntakeTarget, connections: number, durationS: number): Promise<IntakeSlice> {
  const latenciesMs: number[] = [];
  const cpuBefore = target.cpuMs();
  const run = autocannon({
    url: target.baseUrl + INTAKE_PATH,
    method: 'POST',
    headers: requestHeaders(target.headers),
    body: JSON.stringify(SEED_INTAKE_BODY),
    connections,
    duration: durationS,
    timeout: 10,
  });
  run.on('response', (_client, _statusCode, _bytes, responseTimeMs) => latenciesMs.push(responseTimeMs));
  const result = await run;
  const serverCpuMs = target.cpuMs() - cpuBefore;
  const statusCounts: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) statusCounts[code] = count;
  return {
    elapsedS: result.duration,
    completed: result.requests.total,
    latenciesMs,
    statusCounts,
    non2xx: result.non2xx,
    socketErrors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    serverCpuMs,
  };
}

export function combineSlices(slices: readonly IntakeSlice[]): IntakeLoadResult {
  const sum = (pick: (s: IntakeSlice) => number) => slices.reduce((total, s) => total + pick(s), 0);
  const statusCounts: Record<string, number> = {};
  for (const slice of slices) for (const [code, count] of Object.entries(slice.statusCounts)) statusCounts[code] = (statusCounts[code] ?? 0) + count;
  const latencies = ascending(slices.flatMap((s) => s.latenciesMs));
  const completed = sum((s) => s.completed);
  const elapsedS = sum((s) => s.elapsedS);
  return {
    requestsPerSec: completed / elapsedS,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: percentile(latencies, 100),
    completed,
    ok2xx: Object.entries(statusCounts).reduce((total, [code, count]) => total + (code.startsWith('2') ? count : 0), 0),
    non2xx: sum((s) => s.non2xx),
    socketErrors: sum((s) => s.socketErrors),
    timeouts: sum((s) => s.timeouts),
    statusCounts,
    elapsedS,
    cpuMsPerRequest: sum((s) => s.serverCpuMs) / completed,
  };
}

function requestHeaders(headers: Record<string, string>): Record<string, string> {
  return { ...headers, 'content-type': 'application/json' };
}
