// Evidence: with private callbacks not allowed, no callback URL reaches a loopback, private, link-local,
// CGNAT or metadata address, in any spelling, by DNS (including rebinding between intake and send), or
// through a redirect. Three layers per address:
//   intake  — the strict server refuses the URL with a 4xx error body;
//   stored  — the URL was accepted earlier (private callbacks were allowed then; the same data dir is
//             reopened strict), so only the connect-time check stands between it and the address;
//   rebind  — a name that resolves public at intake and to the address at send time.
// Two witnesses that nothing was connected to:
//   - TCP listeners on loopback (127.0.0.1, 127.1.2.3, ::1, all on one port P that the loopback URLs
//     name) count every connection they accept: it must stay 0;
//   - every net.Socket in this process (the server runs in it) reports each connect it starts through
//     its 'connectionAttempt' event, emitted right before the kernel is asked to connect; no attempt
//     may go anywhere but the Countersign server itself (the test's own requests) and the receiver
//     deliberately treated as public. The redirect rows show that this recorder sees the delivery path.
import net from 'node:net';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CallbackGuard, type Resolve } from '@countersign/server/outbound';
import { deliveryAttempts, type RecordedAttempt } from '../support/audit-trail';
import { seed001Sample } from '../support/seeds';
import { makeTempDir } from '../support/temp-dir';
import { call, INTAKE_KEY, reviewer, startTestServer, type TestServer } from '../support/test-server';

const PUBLIC_ADDRESS = '93.184.216.34';
/** 1 attempt + the test server's 3 retries (100ms, 200ms, 300ms). */
const ATTEMPTS = 4;

interface Row {
  /** The callback URL; `{P}` is the loopback listeners' port. */
  url: string;
  /** The address a rebinding name turns into at send time; omitted for rows that are names already. */
  rebindTo?: string;
}

const ROWS: Row[] = [
  // loopback, in every spelling; these name the listeners' port
  { url: 'http://127.0.0.1:{P}/cb', rebindTo: '127.0.0.1' },
  { url: 'http://127.1.2.3:{P}/cb', rebindTo: '127.1.2.3' },
  { url: 'http://[::1]:{P}/cb', rebindTo: '::1' },
  { url: 'http://[::ffff:127.0.0.1]:{P}/cb', rebindTo: '::ffff:127.0.0.1' },
  { url: 'http://[::ffff:7f00:1]:{P}/cb', rebindTo: '::ffff:7f00:1' },
  { url: 'http://[0:0:0:0:0:ffff:127.0.0.1]:{P}/cb', rebindTo: '0:0:0:0:0:ffff:127.0.0.1' },
  { url: 'http://[::127.0.0.1]:{P}/cb', rebindTo: '::127.0.0.1' },
  { url: 'http://[64:ff9b::127.0.0.1]:{P}/cb', rebindTo: '64:ff9b::7f00:1' },
  { url: 'http://[2002:7f00:1::1]:{P}/cb', rebindTo: '2002:7f00:1::1' },
  { url: 'http://0.0.0.0:{P}/cb', rebindTo: '0.0.0.0' },
  { url: 'http://2130706433:{P}/cb' },
  { url: 'http://0177.0.0.1:{P}/cb' },
  { url: 'http://017700000001:{P}/cb' },
  { url: 'http://0x7f000001:{P}/cb' },
  { url: 'http://0x7f.0.0.1:{P}/cb' },
  { url: 'http://127.1:{P}/cb' },
  // private, link-local, CGNAT, metadata, unique-local
  { url: 'http://10.0.0.1:{P}/cb', rebindTo: '10.0.0.1' },
  { url: 'http://172.16.0.1:{P}/cb', rebindTo: '172.16.0.1' },
  { url: 'http://172.31.255.255:{P}/cb', rebindTo: '172.31.255.255' },
  { url: 'http://192.168.1.1:{P}/cb', rebindTo: '192.168.1.1' },
  { url: 'http://169.254.169.254/latest/meta-data/', rebindTo: '169.254.169.254' },
  { url: 'http://[::ffff:169.254.169.254]/latest/meta-data/', rebindTo: '::ffff:a9fe:a9fe' },
  { url: 'http://100.64.0.1:{P}/cb', rebindTo: '100.64.0.1' },
  { url: 'http://100.100.100.200/latest/meta-data/', rebindTo: '100.100.100.200' },
  { url: 'http://[::ffff:10.0.0.1]:{P}/cb', rebindTo: '::ffff:10.0.0.1' },
  { url: 'http://[fc00::1]:{P}/cb', rebindTo: 'fc00::1' },
  { url: 'http://[fd00:ec2::254]/latest/meta-data/', rebindTo: 'fd00:ec2::254' },
  { url: 'http://[fe80::1]:{P}/cb', rebindTo: 'fe80::1' },
  // names
  { url: 'http://internal.example.test:{P}/cb' },
  { url: 'http://mixed.example.test:{P}/cb' },
  { url: 'http://localhost:{P}/cb' },
  { url: 'http://metadata.google.internal/computeMetadata/v1/' },
];

const REDIRECTS = [301, 302, 303, 307, 308];

/** TCP listeners on loopback addresses, all on one port, counting every connection accepted. */
class LoopbackListeners {
  connections: Array<{ local: string; remote: string }> = [];
  port = 0;
  readonly bound: string[] = [];
  private readonly servers: net.Server[] = [];

  async start(): Promise<this> {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1']) {
      const server = net.createServer((socket) => {
        this.connections.push({ local: `${socket.localAddress}:${socket.localPort}`, remote: `${socket.remoteAddress}:${socket.remotePort}` });
        socket.destroy();
      });
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(this.port, host, () => resolve());
        });
        this.port = (server.address() as AddressInfo).port;
        this.servers.push(server);
        this.bound.push(host);
      } catch (error) {
        if (host === '127.0.0.1') throw error; // the others are extra witnesses where the host allows them
      }
    }
    return this;
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/** Every connect any socket of this process starts, as (address, port). */
class ConnectionAttempts {
  readonly seen: Array<{ address: string; port: number }> = [];
  private original = net.Socket.prototype.connect;

  install(): void {
    const seen = this.seen;
    const original = this.original;
    net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
      this.on('connectionAttempt', (address: string, port: number) => seen.push({ address, port }));
      return (original as (...a: unknown[]) => net.Socket).apply(this, args);
    } as typeof net.Socket.prototype.connect;
  }

  uninstall(): void {
    net.Socket.prototype.connect = this.original;
  }
}

/** Answers every request with a redirect to the loopback listeners. */
async function redirector(status: number, target: string): Promise<{ url: string; hits: number; close: () => Promise<void> }> {
  const state = { hits: 0 };
  const server = http.createServer((req, res) => {
    state.hits++;
    req.resume();
    res.writeHead(status, { location: target }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    get hits() {
      return state.hits;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Outcome {
  url: string;
  intake: string;
  stored: string;
  rebind: string;
}

describe('callbacks never reach a private address (COUNTERSIGN_ALLOW_PRIVATE_CALLBACKS=false)', () => {
  const temp = makeTempDir('proof-ssrf');
  const listeners = new LoopbackListeners();
  const attempts = new ConnectionAttempts();
  const outcomes = new Map<string, Outcome>();
  const redirectOutcomes: string[] = [];
  const serverPorts: number[] = [];
  let strict: TestServer;
  let guard: CallbackGuard;
  let P: number;
  /** Approvals created while private callbacks were allowed, by row URL. */
  const stored = new Map<string, string>();
  /** Intake answers for the rebinding names, by row URL. */
  const rebound = new Map<string, Awaited<ReturnType<typeof call>>>();
  const urlOf = (row: Row) => row.url.replace('{P}', String(P));
  const rebindName = (index: number) => `rebind-${index}.example.test`;

  beforeAll(async () => {
    await listeners.start();
    P = listeners.port;
    for (const row of ROWS) outcome(row); // the printed table keeps the rows' order
    // The listeners do count: one connection to each, then the count starts from zero.
    for (const host of listeners.bound) {
      await new Promise<void>((resolve, reject) => net.connect(P, host).on('connect', function (this: net.Socket) {
        this.destroy();
        resolve();
      }).on('error', reject));
    }
    await vi.waitFor(() => expect(listeners.connections).toHaveLength(listeners.bound.length));
    listeners.connections = [];
    attempts.install();

    // 1. Private callbacks allowed: store every URL (each is a real pending request with that callback).
    const permissive = await startTestServer({ dataDir: temp.dir, env: { COUNTERSIGN_ALLOW_PRIVATE_CALLBACKS: 'true' } });
    serverPorts.push(permissive.app.port);
    try {
      for (const row of ROWS) {
        const { approval } = await permissive.intake.createApproval({ ...seed001Sample, callbackUrl: urlOf(row) });
        stored.set(row.url, approval.approvalId);
      }
    } finally {
      await permissive.stop();
    }

    // 2. The same store, strict now, with a DNS stand-in.
    const rebindCalls = new Map<string, number>();
    const names: Record<string, string[]> = {
      'internal.example.test': ['127.0.0.1'],
      'mixed.example.test': [PUBLIC_ADDRESS, '127.0.0.1'],
      localhost: ['127.0.0.1', '::1'],
      'metadata.google.internal': ['169.254.169.254'],
    };
    const resolve: Resolve = async (host) => {
      const rebind = /^rebind-(\d+)\.example\.test$/.exec(host);
      if (rebind) {
        const calls = rebindCalls.get(host) ?? 0;
        rebindCalls.set(host, calls + 1);
        return calls === 0 ? [PUBLIC_ADDRESS] : [ROWS[Number(rebind[1])]!.rebindTo!];
      }
      if (names[host]) return names[host]!;
      throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    };
    const spy = vi.spyOn(CallbackGuard.prototype, 'intakeProblem');
    try {
      strict = await startTestServer({ dataDir: temp.dir, env: { COUNTERSIGN_ALLOW_PRIVATE_CALLBACKS: 'false' }, resolve });
      serverPorts.push(strict.app.port);
      await strict.intake.createApproval({ ...seed001Sample, callbackUrl: 'https://receiver.example.test/cb' });
      // The strict server's guard, for the one receiver it is told to treat as public (as the playground does).
      guard = spy.mock.contexts.at(-1) as CallbackGuard;
    } finally {
      spy.mockRestore();
    }
    expect(guard.allowPrivate).toBe(false);

    // Decisions (and so callback attempts) for the stored and rebinding rows start together; each row's
    // test below then reads its audit trail.
    for (const approvalId of stored.values()) await strict.review.decide(approvalId, { decision: 'approve', reviewer });
    for (const [index, row] of ROWS.entries()) {
      if (!row.rebindTo) continue;
      const created = await call(`${strict.url}/api/webhooks/inbound`, { headers: { 'x-api-key': INTAKE_KEY }, json: { ...seed001Sample, callbackUrl: `http://${rebindName(index)}:${P}/cb` } });
      rebound.set(row.url, created);
      if (created.status === 201) await strict.review.decide(created.body.approvalId, { decision: 'approve', reviewer });
    }
  });

  afterAll(async () => {
    attempts.uninstall();
    const width = Math.max(...[...outcomes.values()].map((o) => o.url.length));
    console.log([
      `SSRF: callback URL → outcome (loopback listeners on ${listeners.bound.join(', ')} port ${P}; connections accepted: ${listeners.connections.length})`,
      `${'url'.padEnd(width)} | intake (strict)           | stored earlier, sent strict               | DNS: public at intake, this address at send`,
      ...[...outcomes.values()].map((o) => `${o.url.padEnd(width)} | ${o.intake.padEnd(25)} | ${o.stored.padEnd(41)} | ${o.rebind}`),
      ...redirectOutcomes,
    ].join('\n'));
    await strict?.close();
    await listeners.stop();
    temp.remove();
  });

  const outcome = (row: Row): Outcome => {
    const key = row.url;
    if (!outcomes.has(key)) outcomes.set(key, { url: urlOf(row), intake: '', stored: '', rebind: 'n/a' });
    return outcomes.get(key)!;
  };

  const summary = (attempt: RecordedAttempt) =>
    attempt.statusCode !== null ? `HTTP ${attempt.statusCode}` : /^refused to connect/.test(String(attempt.error)) ? 'refused before connecting' : `failed: ${attempt.error}`;

  const expectAllRefused = (list: RecordedAttempt[]) => {
    expect(list).toHaveLength(ATTEMPTS);
    for (const attempt of list) {
      expect(attempt.statusCode).toBeNull();
      expect(attempt.error).toMatch(/^refused to connect/);
    }
  };

  it.each(ROWS.map((row) => [row.url, row] as const))('refuses %s at intake with a 4xx error', async (_label, row) => {
    const response = await call(`${strict.url}/api/webhooks/inbound`, { headers: { 'x-api-key': INTAKE_KEY }, json: { ...seed001Sample, callbackUrl: urlOf(row) } });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    outcome(row).intake = `${response.status} ${response.body.error.code}`;
  });

  it.each(ROWS.map((row) => [row.url, row] as const))('refuses to connect to %s when it was stored before (every attempt, in the audit trail)', async (_label, row) => {
    const approvalId = stored.get(row.url)!;
    const list = await deliveryAttempts(strict, approvalId, ATTEMPTS);
    outcome(row).stored = `${ATTEMPTS}× ${summary(list[0]!)}`;
    expectAllRefused(list);
  });

  it.each(ROWS.filter((row) => row.rebindTo).map((row) => [row.url, row] as const))(
    'refuses a name that resolves public at intake and to the address of %s at send (DNS rebinding)',
    async (_label, row) => {
      const created = rebound.get(row.url)!;
      expect(created.status).toBe(201);
      const list = await deliveryAttempts(strict, created.body.approvalId, ATTEMPTS);
      outcome(row).rebind = `intake ${created.status}, send ${ATTEMPTS}× ${summary(list[0]!)}`;
      expectAllRefused(list);
      expect(list[0]!.error).toContain('resolves to a private or reserved address');
    },
  );

  it.each(REDIRECTS)('never follows a %i from a receiver treated as public to loopback', async (status) => {
    const target = `http://127.0.0.1:${P}/`;
    const receiver = await redirector(status, target);
    try {
      guard.trustPrefix(receiver.url);
      const created = await call(`${strict.url}/api/webhooks/inbound`, { headers: { 'x-api-key': INTAKE_KEY }, json: { ...seed001Sample, callbackUrl: `${receiver.url}cb` } });
      expect(created.status).toBe(201);
      await strict.review.decide(created.body.approvalId, { decision: 'approve', reviewer });
      const list = await deliveryAttempts(strict, created.body.approvalId, ATTEMPTS);
      for (const attempt of list) expect(attempt).toMatchObject({ statusCode: status, error: `HTTP ${status} (redirects are not followed)` });
      expect(receiver.hits).toBe(ATTEMPTS);
      // The recorder sees the delivery path's connections: here, to the receiver treated as public.
      expect(attempts.seen.some((a) => a.port === Number(new URL(receiver.url).port))).toBe(true);
      redirectOutcomes.push(`${receiver.url}cb → ${status} Location ${target} | receiver hit ${receiver.hits}×, every attempt: HTTP ${status} (redirects are not followed), retried`);
      serverPorts.push(Number(new URL(receiver.url).port));
    } finally {
      await receiver.close();
    }
  });

  it('never connected to a loopback listener, and started no connection but to itself and the public-treated receivers', () => {
    expect(listeners.connections).toEqual([]);
    const elsewhere = attempts.seen.filter((a) => !(serverPorts.includes(a.port) && ['127.0.0.1', '::ffff:127.0.0.1'].includes(a.address)));
    expect(elsewhere).toEqual([]);
    expect(attempts.seen.filter((a) => a.port === P)).toEqual([]);
  });
});
