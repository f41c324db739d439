// Reach, part one: how soon a new request reaches reviewers' open streams, and what idle streams
// cost. `streams` SSE connections stay open on GET /api/approvals/stream while intake runs open loop
// at `ratePerSec`; each request carries its index in details, so every stream's approval.created
// event is matched to the moment the request was due (the event may well arrive before intake's own
// answer). Then `idleStreams` more connections are opened and the server's RSS compared.
import http from 'node:http';
import { exchange } from './http-exchange';
import { runOpenLoop, type OpenLoopResult } from './open-loop';
import { ascending, percentile } from './percentile';
import type { RunningServer } from './processes';

export interface StreamReachPlan {
  streams: number;
  ratePerSec: number;
  durationS: number;
  idleStreams: number;
}

export interface StreamReachResult {
  streams: number;
  intake: OpenLoopResult;
  /** approval.created events expected (requests × streams) and received. */
  expectedEvents: number;
  receivedEvents: number;
  /** From a request's due time to each stream's event for it, ms. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  idle: { streams: number; opened: number; rssBeforeKb: number; rssAfterKb: number; addedMb: number };
}

const PATH = '/api/approvals/stream';

export async function measureStreamReach(server: RunningServer, keys: { intakeKey: string; reviewKey: string }, plan: StreamReachPlan): Promise<StreamReachResult> {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const due = new Map<number, number>();
  const latencies: number[] = [];
  const open = await Promise.all(Array.from({ length: plan.streams }, () => openStream(server.url, keys.reviewKey, agent, (data, at) => {
    const index = (data.details as { benchIndex?: number } | undefined)?.benchIndex;
    const dueAt = index === undefined ? undefined : due.get(index);
    if (dueAt !== undefined) latencies.push(at - dueAt);
  })));
  const intakeAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const start = performance.now();
  const intake = await runOpenLoop({
    ratePerSec: plan.ratePerSec,
    durationS: plan.durationS,
    send: (index) => {
      due.set(index, start + (index * 1000) / plan.ratePerSec);
      const body = JSON.stringify({ action: 'process_refund', summary: `Refund ${index}`, details: { ticketId: String(4000 + (index % 50)), amount: '49.00', benchIndex: index }, riskLevel: 'high' });
      return exchange({ method: 'POST', url: `${server.url}/api/webhooks/inbound`, headers: { 'x-api-key': keys.intakeKey, 'content-type': 'application/json' }, body, agent: intakeAgent, timeoutMs: 10_000 });
    },
  });
  const expectedEvents = intake.ok2xx * plan.streams;
  const deadline = performance.now() + 10_000;
  while (latencies.length < expectedEvents && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  for (const stream of open) stream.close();
  intakeAgent.destroy();

  await new Promise((r) => setTimeout(r, 1000));
  const rssBeforeKb = server.memory().rssKb;
  const idle = await Promise.allSettled(Array.from({ length: plan.idleStreams }, () => openStream(server.url, keys.reviewKey, agent, () => undefined)));
  const opened = idle.filter((r) => r.status === 'fulfilled').length;
  await new Promise((r) => setTimeout(r, 2000));
  const rssAfterKb = server.memory().rssKb;
  for (const r of idle) if (r.status === 'fulfilled') r.value.close();
  agent.destroy();

  const sorted = ascending(latencies);
  return {
    streams: plan.streams,
    intake,
    expectedEvents,
    receivedEvents: latencies.length,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: percentile(sorted, 100),
    idle: { streams: plan.idleStreams, opened, rssBeforeKb, rssAfterKb, addedMb: (rssAfterKb - rssBeforeKb) / 1024 },
  };
}

/** One SSE connection; `onCreated` gets each approval.created event's data and its arrival time. */
function openStream(baseUrl: string, reviewKey: string, agent: http.Agent, onCreated: (data: Record<string, unknown>, at: number) => void): Promise<{ close(): void }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${baseUrl}${PATH}`, { agent, headers: { authorization: `Bearer ${reviewKey}`, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!block.includes('event: approval.created')) continue;
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (data) onCreated(JSON.parse(data.slice(6)) as Record<string, unknown>, at);
        }
      });
      res.on('error', () => undefined);
      resolve({ close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}
