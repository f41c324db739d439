// Evidence: the live stream loses nothing across a SIGKILL. A reviewer's stream is open while
// requests are created and decided; the client's connection drops part-way, the writes go on, and
// the server is killed mid-stream (no drain, no shutdown hook). A new process on the same SQLite
// file is opened with the Last-Event-ID the client last saw, and the events seen before plus the
// ones replayed after cover every acknowledged request and decision, each event once, ids increasing.
import { afterAll, describe, expect, it } from 'vitest';
import { openStream, type SseConnection, type SseEvent } from '../support/sse-client';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { makeTempDir } from '../support/temp-dir';
import { ADMIN_REVIEW_KEY, INTAKE_KEY } from '../support/test-server';

const REQUESTS = 120;
const CONCURRENCY = 6;
/** The kill falls after this many requests were acknowledged, with more in flight. */
const KILL_AFTER = 70;
/** The client's connection drops (a flaky network) after this many events, well before the kill. */
const DROP_AFTER = 25;

describe('stream resume after a SIGKILL (SQLite)', () => {
  const temp = makeTempDir('stream-kill');
  const children: ServerProcess[] = [];
  const streams: SseConnection[] = [];
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: '0',
    COUNTERSIGN_DATA_DIR: temp.dir,
    COUNTERSIGN_BOOTSTRAP_INTAKE_KEY: INTAKE_KEY,
    COUNTERSIGN_BOOTSTRAP_REVIEW_KEY: ADMIN_REVIEW_KEY,
    COUNTERSIGN_PLAYGROUND: 'false',
    COUNTERSIGN_LOG_LEVEL: 'warn',
    COUNTERSIGN_POLL_INTERVAL: '100ms',
    COUNTERSIGN_RATE_LIMIT_PER_KEY: '0',
    COUNTERSIGN_RATE_LIMIT_PER_IP: '0',
  };
  const auth = { authorization: `Bearer ${ADMIN_REVIEW_KEY}` };
  afterAll(async () => {
    for (const s of streams) s.close();
    await Promise.allSettled(children.map((c) => c.kill()));
    temp.remove();
  });

  it('replays every acknowledged change the client had not seen, once each, in order', async () => {
    const first = await startServerProcess(env);
    children.push(first);
    const before = await openStream(`${first.url}/api/approvals/stream`, auth);
    streams.push(before);
    expect(before.status).toBe(200);

    const createdAcked: string[] = [];
    const decidedAcked: string[] = [];
    let next = 0;
    let killed = false;
    const post = async (url: string, headers: Record<string, string>, body: unknown) => {
      const response = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as Record<string, any> };
    };
    const worker = async () => {
      while (next < REQUESTS && !killed) {
        const n = next++;
        try {
          const created = await post(`${first.url}/api/webhooks/inbound`, { 'x-api-key': INTAKE_KEY }, { action: 'process_refund', summary: `Refund ${n}`, details: { ticketId: `t${n}` } });
          if (created.status !== 201) continue;
          createdAcked.push(created.body.approvalId);
          if (n % 2 === 0) {
            const decided = await post(`${first.url}/api/approvals/${created.body.approvalId}/decision`, auth, { decision: n % 4 === 0 ? 'approve' : 'reject' });
            if (decided.status === 200) decidedAcked.push(created.body.approvalId);
          }
        } catch {
          // The kill: requests in flight have no answer; they were never acknowledged.
        }
      }
    };
    const dropper = (async () => {
      await before.waitFor((events) => events.length >= DROP_AFTER, 60_000);
      before.close();
    })();
    const killer = (async () => {
      while (createdAcked.length < KILL_AFTER) await new Promise((r) => setTimeout(r, 5));
      killed = true;
      await first.kill();
    })();
    await Promise.all([...Array.from({ length: CONCURRENCY }, worker), killer, dropper]);
    await before.ended.catch(() => undefined);
    const seenBefore = [...before.events];
    expect(seenBefore.length).toBeLessThan(createdAcked.length + decidedAcked.length);
    const lastSeen = seenBefore.at(-1)?.id ?? '0';

    const second = await startServerProcess(env);
    children.push(second);
    const after = await openStream(`${second.url}/api/approvals/stream`, { ...auth, 'last-event-id': lastSeen });
    streams.push(after);
    const expectedTotal = createdAcked.length + decidedAcked.length;
    const covered = (events: SseEvent[]) => {
      const all = [...seenBefore, ...events];
      const created = new Set(all.filter((e) => e.event === 'approval.created').map((e) => JSON.parse(e.data).approvalId));
      const updated = new Set(all.filter((e) => e.event === 'approval.updated').map((e) => JSON.parse(e.data).approvalId));
      return createdAcked.every((id) => created.has(id)) && decidedAcked.every((id) => updated.has(id));
    };
    await after.waitFor(covered, 20_000);
    const ids = [...seenBefore, ...after.events].map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(Number(after.events[0]?.id ?? Infinity)).toBeGreaterThan(Number(lastSeen));
    console.log(`stream resume: ${createdAcked.length} requests and ${decidedAcked.length} decisions acknowledged before the kill; ${seenBefore.length} events seen live, ${after.events.length} replayed after the restart from id ${lastSeen} (${expectedTotal} acknowledged changes, all covered)`);
  });
});
