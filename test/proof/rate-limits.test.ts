// Rate limits over real HTTP: per key and per address on /api, per address on the platform
// endpoints, separate buckets so an intake flood never starves Intercom's webhooks and canvas calls.
import { signCanvasBody } from '@countersign/intercom-canvas';
import { afterEach, describe, expect, it } from 'vitest';
import { seed001Sample } from '../support/seeds';
import { INTERCOM_SECRET, notification, signedDelivery } from '../support/intercom-notifications';
import { call, INTAKE_KEY, REVIEW_KEY, startTestServer, type TestServer } from '../support/test-server';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serverWith(limits: { perKey?: number; perIp?: number; platformPerIp?: number; trustProxy?: string }) {
  const server = await startTestServer({
    env: {
      INTERCOM_CLIENT_SECRET: INTERCOM_SECRET,
      COUNTERSIGN_RATE_LIMIT_PER_KEY: String(limits.perKey ?? 0),
      COUNTERSIGN_RATE_LIMIT_PER_IP: String(limits.perIp ?? 0),
      COUNTERSIGN_RATE_LIMIT_PLATFORM_PER_IP: String(limits.platformPerIp ?? 0),
      ...(limits.trustProxy ? { COUNTERSIGN_TRUST_PROXY: limits.trustProxy } : {}),
    },
  });
  servers.push(server);
  return server;
}

const intake = (server: TestServer, headers: Record<string, string> = { 'x-api-key': INTAKE_KEY }) =>
  call(`${server.url}/api/webhooks/inbound`, { headers, json: seed001Sample });

function tally(statuses: number[]): Record<number, number> {
  return statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
}

function expectRateLimited(response: { status: number; headers: Headers; body: any }) {
  expect(response.status).toBe(429);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(response.body).toMatchObject({ error: { code: 'rate_limited', message: expect.stringMatching(/retry after \d+ s/) } });
}

async function webhook(server: TestServer) {
  const body = JSON.stringify(notification('conversation.user.created', '1', 'unlinked-app'));
  return call(`${server.url}/webhooks/intercom`, { headers: signedDelivery(body), body });
}

async function canvasInitialize(server: TestServer) {
  const body = JSON.stringify({ workspace_id: 'unlinked-app', admin: { id: '1', name: 'A', email: 'a@example.com' }, conversation: { id: '1' }, context: {} });
  return call(`${server.url}/intercom/canvas/initialize`, { headers: { 'content-type': 'application/json', 'x-body-signature': signCanvasBody(INTERCOM_SECRET, body) }, body });
}

describe('rate limits', () => {
  it('refuses a key over its limit with 429 and Retry-After, while another key keeps working', async () => {
    const server = await serverWith({ perKey: 5 });
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof intake>> | undefined;
    for (let i = 0; i < 30; i++) {
      const response = await intake(server);
      statuses.push(response.status);
      if (response.status === 429) limited ??= response;
    }
    console.log(`rate-limits: per key 5/s, 30 back-to-back intake requests → ${JSON.stringify(tally(statuses))}`);
    expect(statuses.slice(0, 10).every((s) => s === 201)).toBe(true);
    expectRateLimited(limited!);
    // The review key has its own bucket.
    expect((await call(`${server.url}/api/approvals`, { headers: { authorization: `Bearer ${REVIEW_KEY}` } })).status).toBe(200);
  });

  it('stores nothing for a refused request', async () => {
    const server = await serverWith({ perKey: 2 });
    const statuses = [];
    for (let i = 0; i < 12; i++) statuses.push((await intake(server)).status);
    const created = statuses.filter((s) => s === 201).length;
    const listed = await call(`${server.url}/api/approvals?limit=100`, { headers: { authorization: `Bearer ${REVIEW_KEY}` } });
    expect(listed.body.items).toHaveLength(created);
  });

  it('lets the key through again once it has waited as long as Retry-After said', async () => {
    const server = await serverWith({ perKey: 2 });
    let response = await intake(server);
    while (response.status !== 429) response = await intake(server);
    await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after')) * 1000 + 50));
    expect((await intake(server)).status).toBe(201);
  });

  it('limits requests per address before looking at the key, so guessing keys is throttled too', async () => {
    const server = await serverWith({ perIp: 5 });
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await intake(server, { 'x-api-key': `cs_live_guess${i}` })).status);
    console.log(`rate-limits: per address 5/s, 25 requests with made-up keys → ${JSON.stringify(tally(statuses))}`);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    // Refill during a slow run may let a few more through; what matters is that the flood is cut.
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
  });

  it('limits the platform endpoints per address with their own budget', async () => {
    const server = await serverWith({ platformPerIp: 3 });
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof webhook>> | undefined;
    for (let i = 0; i < 15; i++) {
      const response = await webhook(server);
      statuses.push(response.status);
      if (response.status === 429) limited ??= response;
    }
    console.log(`rate-limits: platform per address 3/s, 15 Intercom webhooks → ${JSON.stringify(tally(statuses))}`);
    expect(statuses.slice(0, 6).every((s) => s === 200)).toBe(true);
    expectRateLimited(limited!);
    // /api has its own (here unlimited) budget.
    expect((await intake(server)).status).toBe(201);
  });

  it('never starves the Intercom webhook and canvas endpoints while intake from the same address is being refused', async () => {
    const server = await serverWith({ perKey: 5, perIp: 10, platformPerIp: 50 });
    const flood = Array.from({ length: 200 }, () => intake(server).then((r) => r.status));
    const platform: number[] = [];
    for (let i = 0; i < 20; i++) {
      platform.push((await webhook(server)).status);
      if (i % 4 === 0) platform.push((await canvasInitialize(server)).status);
    }
    const intakeStatuses = await Promise.all(flood);
    console.log(
      `rate-limits: 200 concurrent intake → ${JSON.stringify(tally(intakeStatuses))}; meanwhile ${platform.length} Intercom webhook/canvas calls → ${JSON.stringify(tally(platform))}`,
    );
    expect(intakeStatuses.filter((s) => s === 429).length).toBeGreaterThan(100);
    expect(platform.every((s) => s === 200)).toBe(true);
  });

  it('takes the client address from X-Forwarded-For only behind a trusted proxy', async () => {
    const direct = await serverWith({ perIp: 2 });
    const spoofed: number[] = [];
    for (let i = 0; i < 10; i++) spoofed.push((await intake(direct, { 'x-api-key': INTAKE_KEY, 'x-forwarded-for': `198.51.100.${i}` })).status);
    expect(spoofed.filter((s) => s === 429).length).toBeGreaterThan(0);

    const proxied = await serverWith({ perIp: 2, trustProxy: 'loopback' });
    const distinct: number[] = [];
    for (let i = 0; i < 10; i++) distinct.push((await intake(proxied, { 'x-api-key': INTAKE_KEY, 'x-forwarded-for': `198.51.100.${i}` })).status);
    expect(distinct.every((s) => s === 201)).toBe(true);
  });
});
