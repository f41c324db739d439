import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntercomSettings } from '@countersign/server/integrations/intercom';
import { FakeIntercom } from '../../support/fake-intercom';
import { INTERCOM_SECRET } from '../../support/intercom-notifications';
import { startTestServer, type TestServer } from '../../support/test-server';

describe('Intercom OAuth install', () => {
  let server: TestServer;
  let fake: FakeIntercom;
  let intercom: IntercomSettings;

  beforeAll(async () => {
    fake = await new FakeIntercom().start();
    server = await startTestServer({
      env: {
        INTERCOM_CLIENT_ID: 'client-123',
        INTERCOM_CLIENT_SECRET: INTERCOM_SECRET,
        INTERCOM_API_URL: fake.url,
        INTERCOM_AUTHORIZE_URL: `${fake.url}/oauth`,
        INTERCOM_TOKEN_URL: `${fake.url}/auth/eagle/token`,
      },
    });
    intercom = new IntercomSettings(server.app.store, server.app.workspaces, server.config.intercom);
  });
  afterAll(async () => {
    await server.close();
    await fake.stop();
  });

  async function start(): Promise<{ state: string; cookie: string; location: URL }> {
    const response = await fetch(`${server.url}/intercom/oauth/start`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    return { state: location.searchParams.get('state')!, cookie: setCookie.split(';')[0]!, location };
  }

  const callback = (query: string, cookie?: string) => fetch(`${server.url}/intercom/oauth/callback?${query}`, { headers: cookie ? { cookie } : {} });

  it('redirects to Intercom with the client id, a state and the callback URL, and keeps the state in a signed cookie', async () => {
    const { state, location } = await start();
    expect(location.origin + location.pathname).toBe(`${fake.url}/oauth`);
    expect(location.searchParams.get('client_id')).toBe('client-123');
    expect(location.searchParams.get('redirect_uri')).toBe(`${server.url}/intercom/oauth/callback`);
    expect(state).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });

  it('exchanges the code, learns the workspace and region from /me, stores the token sealed and shows the next steps', async () => {
    const { state, cookie } = await start();
    const response = await callback(`code=good-code&state=${state}`, cookie);
    const page = await response.text();
    expect(response.status).toBe(200);
    expect(page).toContain('/intercom/canvas/initialize');
    expect(page).toContain('/webhooks/intercom');
    expect(page).toMatch(/cs_live_/);
    expect(page).toMatch(/whsec_/);
    // The page shows a new intake key and callback secret once: no browser or proxy may keep it.
    expect(response.headers.get('cache-control')).toBe('no-store');

    const token = fake.requests.find((r) => r.path === '/auth/eagle/token')!;
    expect(Object.fromEntries(new URLSearchParams(token.body))).toEqual({ code: 'good-code', client_id: 'client-123', client_secret: INTERCOM_SECRET });
    const workspace = (await intercom.workspaceFor('abc123xy'))!;
    expect(workspace.name).toBe('intercom-abc123xy');
    expect(intercom.link(workspace)).toMatchObject({ workspaceId: 'abc123xy', region: 'EU', adminId: '7001' });
    expect(intercom.accessToken(workspace)).toBe(fake.token);
    expect(JSON.stringify(workspace.secrets)).not.toContain(fake.token);
    expect(page).not.toContain(fake.token);

    // A re-install refreshes the same workspace instead of creating another.
    const again = await start();
    expect((await callback(`code=good-code&state=${again.state}`, again.cookie)).status).toBe(200);
    expect((await server.app.store.workspaces.list()).filter((w) => w.name.startsWith('intercom-abc123xy'))).toHaveLength(1);
  });

  it.each([
    ['no cookie', async () => `code=good-code&state=${(await start()).state}`, () => undefined],
    ['another state', async () => 'code=good-code&state=forged-state-value-0000000000', undefined],
    ['a tampered cookie', async () => `code=good-code&state=${(await start()).state}`, () => 'cs_intercom_oauth=abc.def.ghi'],
    // Found by test/proof/fuzz.test.ts: decoding this cookie threw, and the callback answered 500.
    ['a cookie that is not valid percent-encoding', async () => `code=good-code&state=${(await start()).state}`, () => 'cs_intercom_oauth=%E0%A4%A'],
  ])('refuses a callback with %s', async (_name, query, cookieFor) => {
    const { cookie } = await start();
    const response = await callback(await query(), cookieFor ? cookieFor() : cookie);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Start again');
  });

  it('refuses an admin whose email is not verified, and a code Intercom rejects', async () => {
    fake.me = { ...fake.me, email_verified: false, app: { id_code: 'unverified1', region: 'US' } };
    const first = await start();
    expect((await callback(`code=good-code&state=${first.state}`, first.cookie)).status).toBe(403);
    expect(await intercom.workspaceFor('unverified1')).toBeNull();
    const second = await start();
    expect((await callback(`code=bad-code&state=${second.state}`, second.cookie)).status).toBe(502);
  });
});
