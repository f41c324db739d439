import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerAndReceiver } from '../support/server-and-receiver';
import { startServerProcess } from '../support/server-process';
import { makeTempDir } from '../support/temp-dir';
import { seed000Filled, seed001Sample } from '../support/seeds';
import { ADMIN_REVIEW_KEY, CALLBACK_SECRET, call, INTAKE_KEY, REVIEW_KEY, reviewer, startTestServer, type TestServer } from '../support/test-server';

describe('health and readiness', () => {
  it('reports ready while the store answers, and 503 with the error shape when it does not', async () => {
    const server = await startTestServer();
    try {
      expect(await call(`${server.url}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(await call(`${server.url}/readyz`)).toMatchObject({ status: 200, body: { status: 'ready', store: 'sqlite' } });
      await server.app.store.close();
      const down = await call(`${server.url}/readyz`);
      expect(down.status).toBe(503);
      expect(down.body.error.code).toBe('store_unavailable');
      expect((await call(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('answers waiting requests with their current state and finishes in-flight deliveries before closing', async () => {
    const { server, receiver, close } = await startServerAndReceiver();
    try {
      const waiting = call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': INTAKE_KEY }, json: { ...seed001Sample, maxWaitMs: 20_000 } });
      const { approval } = await server.intake.createApproval(seed000Filled('31', `${receiver.url}/slow`));
      receiver.reply({ status: 200, delayMs: 600 });
      await server.review.decide(approval.approvalId, { decision: 'approve', reviewer });
      await receiver.waitFor((r) => r.length === 1);
      const started = Date.now();
      await server.stop();
      const answered = await waiting;
      expect(answered.status).toBe(201);
      expect(answered.body.status).toBe('pending');
      expect(Date.now() - started).toBeLessThan(10_000);

      // The attempt in flight at shutdown was completed and recorded.
      const restarted = await startTestServer({ dataDir: server.dataDir });
      const attempts = (await restarted.intake.listEvents(approval.approvalId)).items.filter((e) => e.type === 'delivery.attempt');
      expect(attempts.map((e) => e.data.outcome)).toEqual(['delivered']);
      await restarted.close();
    } finally {
      await close();
    }
  });
});

describe('logs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('write one JSON line per request with its request id, and never a key or secret', async () => {
    const created = await call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': INTAKE_KEY, 'x-request-id': 'trace-123' }, json: seed001Sample });
    expect(created.headers.get('x-request-id')).toBe('trace-123');
    await call(`${server.url}/api/approvals/${created.body.approvalId}/decision`, { headers: { authorization: `Bearer ${REVIEW_KEY}` }, json: { decision: 'approve', reviewer } });
    await call(`${server.url}/api/approvals`, { headers: { authorization: `Bearer ${REVIEW_KEY}x` } });
    const weird = await call(`${server.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(weird.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const line = server.logs.find((l) => l.requestId === 'trace-123' && l.msg === 'request');
    expect(line).toMatchObject({ method: 'POST', path: '/api/webhooks/inbound', status: 201, key: `${INTAKE_KEY.slice(0, 14)}…` });
    const everything = server.rawLogs.join('\n');
    for (const secret of [INTAKE_KEY, REVIEW_KEY, ADMIN_REVIEW_KEY, CALLBACK_SECRET, CALLBACK_SECRET.slice(6)]) expect(everything).not.toContain(secret);
  });
});

describe('store contention', () => {
  it('answers 503 with Retry-After, not 500, while another process holds the SQLite write lock', async () => {
    const server = await startTestServer();
    const Database = (await import('better-sqlite3')).default;
    const path = await import('node:path');
    const blocker = new Database(path.join(server.dataDir, 'countersign.sqlite'));
    try {
      blocker.pragma('busy_timeout = 0');
      blocker.exec('BEGIN IMMEDIATE');
      // Countersign waits up to its 2 s busy timeout, then must give up cleanly.
      const response = await call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': INTAKE_KEY }, json: seed001Sample });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(response.body.error.code).toBe('store_unavailable');
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    expect((await call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': INTAKE_KEY }, json: seed001Sample })).status).toBe(201);
    await server.close();
  });
});

describe('store write failures (a real file-size limit on the server process)', () => {
  /**
   * RLIMIT_FSIZE on the running server: with the soft limit at 0 every write to a file fails with
   * EFBIG (Node ignores SIGXFSZ), so SQLite's WAL appends fail as they would on a full or failing
   * disk; the pipe carrying its logs is no file and goes on. Lifting the soft limit ends the fault.
   */
  const fileSizeLimit = (pid: number, limit: '0' | 'unlimited') => execFileSync('prlimit', ['--pid', String(pid), `--fsize=${limit}:`]);

  it('answers intake and decisions 503 with Retry-After while writes fail, is not ready until a write succeeds, and loses nothing it acknowledged', async () => {
    const temp = makeTempDir('write-failure');
    const env = {
      PORT: '0', HOST: '127.0.0.1', COUNTERSIGN_DATA_DIR: temp.dir, COUNTERSIGN_PLAYGROUND: 'false',
      COUNTERSIGN_BOOTSTRAP_INTAKE_KEY: INTAKE_KEY, COUNTERSIGN_BOOTSTRAP_REVIEW_KEY: REVIEW_KEY,
      COUNTERSIGN_RATE_LIMIT_PER_KEY: '0', COUNTERSIGN_RATE_LIMIT_PER_IP: '0',
    };
    let run = await startServerProcess(env);
    const intake = (body: object = seed001Sample) => call(`${run.url}/api/webhooks/inbound`, { headers: { 'x-api-key': INTAKE_KEY }, json: body });
    // The bootstrap review key is the admin's personal key: its decisions need no reviewer body.
    const decide = (id: string) => call(`${run.url}/api/approvals/${id}/decision`, { headers: { authorization: `Bearer ${REVIEW_KEY}` }, json: { decision: 'approve' } });
    const acknowledged = new Map<string, string>();
    const note = (response: { status: number; body: any }) => {
      if (response.status === 200 || response.status === 201) acknowledged.set(response.body.approvalId, response.body.status);
    };
    try {
      const before = await intake();
      expect(before.status).toBe(201);
      note(before);
      const toDecide = await intake();
      note(toDecide);

      fileSizeLimit(run.child.pid!, '0');
      // One alone, then a burst that shares a group commit.
      const during = [await intake(), ...(await Promise.all(Array.from({ length: 10 }, (_, i) => intake({ ...seed001Sample, details: { ticket_id: String(500 + i) } }))))];
      during.forEach(note);
      for (const response of during) {
        expect(response.status).toBe(503);
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(response.body.error).toMatchObject({ code: 'store_write_failed', issues: [] });
        expect(typeof response.body.error.requestId).toBe('string');
      }
      const refused = await decide(toDecide.body.approvalId);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBeTruthy();
      expect(refused.body.error.code).toBe('store_write_failed');
      const notReady = await call(`${run.url}/readyz`);
      expect(notReady.status).toBe(503);
      expect(notReady.body.error.code).toBe('store_write_failed');
      expect((await call(`${run.url}/healthz`)).status).toBe(200);

      // Lifted: readiness recovers by itself, with no other traffic, by its own probing write.
      fileSizeLimit(run.child.pid!, 'unlimited');
      const deadline = Date.now() + 20_000;
      while ((await call(`${run.url}/readyz`)).status !== 200) {
        if (Date.now() > deadline) throw new Error('readiness did not recover after the fault was lifted');
        await new Promise((r) => setTimeout(r, 100));
      }
      const decided = await decide(toDecide.body.approvalId);
      expect(decided.status).toBe(200);
      note(decided);
      const after = await intake();
      expect(after.status).toBe(201);
      note(after);

      // A crash, then a restart on the same file: every acknowledged request is there, as acknowledged.
      await run.kill();
      run = await startServerProcess(env);
      for (const [approvalId, status] of acknowledged) {
        const found = await call(`${run.url}/api/approvals/${approvalId}`, { headers: { authorization: `Bearer ${REVIEW_KEY}` } });
        expect(found.status, approvalId).toBe(200);
        expect(found.body.status, approvalId).toBe(status);
      }
      expect(acknowledged.size).toBe(3);
      const listed = await call(`${run.url}/api/approvals?limit=100`, { headers: { authorization: `Bearer ${REVIEW_KEY}` } });
      expect(listed.body.items).toHaveLength(3);
    } finally {
      await run.kill();
      temp.remove();
    }
  }, 90_000);
});
