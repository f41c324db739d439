// Sustained intake at a fixed arrival rate (open loop, see open-loop.ts): the seed body posted to
// POST /api/webhooks/inbound at N requests/s for a minute, with the server's RSS sampled every
// second, to show whether latency or memory drifts when load is steady rather than flat out.
import http from 'node:http';
import { exchange, type Answer } from './http-exchange';
import { INTAKE_PATH } from './intake-load';
import { watchMemory, type MemoryTrace } from './memory-watch';
import { runOpenLoop, type OpenLoopResult } from './open-loop';
import type { RunningServer } from './processes';
import { SEED_INTAKE_BODY } from './seed-request';

const REQUEST_TIMEOUT_MS = 10_000;

export interface SustainedRun {
  ratePerSec: number;
  durationS: number;
}

export interface SustainedResult {
  load: OpenLoopResult;
  memory: MemoryTrace;
  /** Server CPU time per completed request, ms. */
  cpuMsPerRequest: number;
}

/**
 * Posts the seed body with the intake key over keep-alive connections; the agent opens as many as
 * requests in flight need, so a slow answer never holds back the next request's departure.
 */
export function intakePoster(baseUrl: string, intakeKey: string): { send: (index: number) => Promise<Answer>; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256 });
  const body = JSON.stringify(SEED_INTAKE_BODY);
  const headers = { 'x-api-key': intakeKey, 'content-type': 'application/json' };
  return {
    send: () => exchange({ method: 'POST', url: baseUrl + INTAKE_PATH, headers, body, agent, timeoutMs: REQUEST_TIMEOUT_MS }),
    close: () => agent.destroy(),
  };
}

export async function measureSustained(server: RunningServer, intakeKey: string, run: SustainedRun): Promise<SustainedResult> {
  const poster = intakePoster(server.url, intakeKey);
  const memory = watchMemory(server);
  const cpuBefore = server.cpuMs();
  try {
    const load = await runOpenLoop({ ratePerSec: run.ratePerSec, durationS: run.durationS, send: poster.send, accept: (a) => a.status === 201 });
    return { load, memory: memory.stop(), cpuMsPerRequest: (server.cpuMs() - cpuBefore) / Math.max(1, load.completed) };
  } finally {
    memory.stop();
    poster.close();
  }
}
