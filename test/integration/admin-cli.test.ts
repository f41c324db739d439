import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from '@countersign/server/delivery';
import { INTERCOM_SECRET, notification, signedDelivery } from '../support/intercom-notifications';
import { seed001Async } from '../support/seeds';
import { startServerAndReceiver } from '../support/server-and-receiver';
import { call, reviewer, startTestServer } from '../support/test-server';
import { makeTempDir } from '../support/temp-dir';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

async function admin(dataDir: string, ...args: string[]): Promise<any> {
  return adminWith({}, dataDir, ...args);
}

async function adminWith(env: Record<string, string>, dataDir: string, ...args: string[]): Promise<any> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/src/admin/cli.ts', ...args, '--json'], {
    cwd: ROOT,
    env: { ...process.env, COUNTERSIGN_DATA_DIR: dataDir, COUNTERSIGN_LOG_LEVEL: 'silent', ...env },
  });
  return JSON.parse(stdout);
}

describe('admin CLI', () => {
  const temp = makeTempDir('admin');
  afterAll(() => temp.remove());

  it('creates workspaces and keys that the server accepts, lists only prefixes, and revokes', async () => {
    const workspace = await admin(temp.dir, 'workspace', 'create', 'acme');
    expect(workspace).toMatchObject({ name: 'acme', callbackSecret: expect.stringMatching(/^whsec_/) });
    expect((await admin(temp.dir, 'workspace', 'list')).map((w: { name: string }) => w.name)).toEqual(['acme']);

    const intake = await admin(temp.dir, 'key', 'create', '--workspace', 'acme', '--scope', 'intake', '--label', 'zendesk trigger');
    const review = await admin(temp.dir, 'key', 'create', '--workspace', 'acme', '--scope', 'review');
    expect(intake.key).toMatch(/^cs_live_/);
    expect(review.key).toMatch(/^cs_review_/);

    const keys = await admin(temp.dir, 'key', 'list', '--workspace', 'acme');
    expect(keys).toHaveLength(2);
    expect(JSON.stringify(keys)).not.toContain(intake.key);
    expect(keys[0].prefix).toBe(`${intake.key.slice(0, 14)}…`);

    // The store already holds a workspace, so the server creates no default one.
    const server = await startTestServer({ dataDir: temp.dir });
    expect(server.app.bootstrap).toBeNull();
    try {
      const created = await call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': intake.key }, json: seed001Async });
      expect(created.status).toBe(201);
      await admin(temp.dir, 'key', 'revoke', intake.id);
      const refused = await call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': intake.key }, json: seed001Async });
      expect(refused.status).toBe(401);
      expect((await admin(temp.dir, 'key', 'list')).find((k: { id: string }) => k.id === intake.id).revokedAt).not.toBeNull();
    } finally {
      await server.stop();
    }
  });

  it('rotates the callback secret with both secrets signing during the grace period', async () => {
    const dir = makeTempDir('rotate');
    const { server, receiver, close } = await startServerAndReceiver({ dataDir: dir.dir });
    try {
      const before = await admin(dir.dir, 'callback-secret', 'show', '--workspace', 'default');
      const rotated = await admin(dir.dir, 'callback-secret', 'rotate', '--workspace', 'default', '--grace', '1h');
      expect(rotated.current).not.toBe(before.current);
      expect(await admin(dir.dir, 'callback-secret', 'show', '--workspace', 'default')).toEqual({ current: rotated.current, previous: before.current });

      const { approval } = await server.intake.createApproval({ ...seed001Async, callbackUrl: `${receiver.url}/cb` });
      await server.review.decide(approval.approvalId, { decision: 'approve', reviewer });
      const [callback] = await receiver.waitFor((r) => r.length === 1);
      const signed = { id: callback!.headers['webhook-id'] as string, timestamp: callback!.headers['webhook-timestamp'] as string, signature: callback!.headers['webhook-signature'] as string, body: callback!.body };
      expect(signed.signature.split(' ')).toHaveLength(2);
      expect(verifySignature(rotated.current, signed).ok).toBe(true);
      expect(verifySignature(before.current, signed).ok).toBe(true);
      expect(signed.signature).toBe(signatureHeader([rotated.current, before.current], signed.id, Number(signed.timestamp), signed.body));
      await server.stop();

      await admin(dir.dir, 'callback-secret', 'rotate', '--workspace', 'default', '--grace', '0s');
      expect((await admin(dir.dir, 'callback-secret', 'show', '--workspace', 'default')).previous).toBeNull();
    } finally {
      await close();
      dir.remove();
    }
  });

  it('stores Zendesk credentials and the signing secret encrypted, and never shows them back', async () => {
    const dir = makeTempDir('admin-zendesk');
    try {
      await admin(dir.dir, 'workspace', 'create', 'acme');
      const token = 'zd-token-never-in-plaintext-42';
      const secret = 'zendesk-signing-secret-never-in-plaintext';
      const set = await adminWith({ ZENDESK_API_TOKEN: token }, dir.dir, 'zendesk', 'credentials', 'set', '--workspace', 'acme', '--subdomain', 'acme', '--email', 'bot@acme.example');
      expect(set).toMatchObject({ subdomain: 'acme', email: 'bot@acme.example', baseUrl: 'https://acme.zendesk.com' });
      await admin(dir.dir, 'zendesk', 'signing-secret', 'set', '--workspace', 'acme', '--secret', secret);
      const shown = await admin(dir.dir, 'zendesk', 'show', '--workspace', 'acme');
      expect(shown).toEqual({
        workspace: 'acme', signingSecret: true, credentials: { subdomain: 'acme', email: 'bot@acme.example', baseUrl: 'https://acme.zendesk.com' }, notesOnCreation: false,
        signIn: { enabled: false, oauthClientId: null, clientSecret: false, redirectUrl: null },
      });
      expect(JSON.stringify([set, shown])).not.toContain(token);
      const database = readFileSync(path.join(dir.dir, 'countersign.sqlite'));
      const wal = existsSync(path.join(dir.dir, 'countersign.sqlite-wal')) ? readFileSync(path.join(dir.dir, 'countersign.sqlite-wal')) : Buffer.alloc(0);
      for (const plaintext of [token, secret]) expect(Buffer.concat([database, wal]).includes(plaintext)).toBe(false);
      await admin(dir.dir, 'zendesk', 'credentials', 'clear', '--workspace', 'acme');
      expect((await admin(dir.dir, 'zendesk', 'show', '--workspace', 'acme')).credentials).toBeNull();
    } finally {
      dir.remove();
    }
  });

  it('turns notes on new requests on and off per platform, keeping every other setting and secret', async () => {
    const dir = makeTempDir('admin-creation-notes');
    try {
      await admin(dir.dir, 'workspace', 'create', 'acme');
      await adminWith({ ZENDESK_API_TOKEN: 'zd-token-kept-42' }, dir.dir, 'zendesk', 'credentials', 'set', '--workspace', 'acme', '--subdomain', 'acme', '--email', 'bot@acme.example');
      expect(await admin(dir.dir, 'zendesk', 'creation-note', 'on', '--workspace', 'acme')).toEqual({ workspace: 'acme', platform: 'zendesk', notesOnCreation: true });
      const shown = await admin(dir.dir, 'zendesk', 'show', '--workspace', 'acme');
      expect(shown).toMatchObject({ notesOnCreation: true, credentials: { email: 'bot@acme.example' } });
      await adminWith({ INTERCOM_ACCESS_TOKEN: 'ic-token-kept-42' }, dir.dir, 'intercom', 'link', '--workspace', 'acme', '--intercom-workspace', 'abc123', '--admin-id', '7001');
      expect((await admin(dir.dir, 'intercom', 'show', '--workspace', 'acme')).notesOnCreation).toBe(false);
      await admin(dir.dir, 'intercom', 'creation-note', 'on', '--workspace', 'acme');
      await admin(dir.dir, 'zendesk', 'creation-note', 'off', '--workspace', 'acme');
      expect((await admin(dir.dir, 'intercom', 'show', '--workspace', 'acme'))).toMatchObject({ notesOnCreation: true, accessToken: true });
      expect(await admin(dir.dir, 'zendesk', 'show', '--workspace', 'acme')).toMatchObject({ notesOnCreation: false, credentials: { email: 'bot@acme.example' } });
    } finally {
      dir.remove();
    }
  });

  it('stores the Zendesk OAuth client for agent sign-in with its secret encrypted, shows only whether it is set, and clears it', async () => {
    const dir = makeTempDir('admin-zendesk-oauth');
    const env = { COUNTERSIGN_PUBLIC_URL: 'https://countersign.acme.example/' };
    try {
      await admin(dir.dir, 'workspace', 'create', 'acme');
      const secret = 'zd-oauth-client-secret-never-in-plaintext-7f3a';
      // Agents sign in on the workspace's Zendesk account: without one there is nothing to sign in to.
      await expect(adminWith({ ...env, ZENDESK_OAUTH_CLIENT_SECRET: secret }, dir.dir, 'zendesk', 'oauth', 'set', '--workspace', 'acme', '--client-id', 'countersign')).rejects.toMatchObject({ stderr: expect.stringContaining('zendesk credentials set') });
      await adminWith({ ZENDESK_API_TOKEN: 'zd-token-1234567890' }, dir.dir, 'zendesk', 'credentials', 'set', '--workspace', 'acme', '--subdomain', 'acme', '--email', 'bot@acme.example');

      const set = await adminWith({ ...env, ZENDESK_OAUTH_CLIENT_SECRET: secret }, dir.dir, 'zendesk', 'oauth', 'set', '--workspace', 'acme', '--client-id', 'countersign');
      expect(set).toEqual({ workspace: 'acme', oauthClientId: 'countersign', baseUrl: 'https://acme.zendesk.com', redirectUrl: 'https://countersign.acme.example/zendesk/oauth/callback' });
      const shown = await adminWith(env, dir.dir, 'zendesk', 'show', '--workspace', 'acme');
      expect(shown.signIn).toEqual({ enabled: true, oauthClientId: 'countersign', clientSecret: true, redirectUrl: 'https://countersign.acme.example/zendesk/oauth/callback' });
      expect(JSON.stringify([set, shown])).not.toContain(secret);
      const human = await run(process.execPath, ['--import', 'tsx', 'server/src/admin/cli.ts', 'zendesk', 'show', '--workspace', 'acme'], { cwd: ROOT, env: { ...process.env, ...env, COUNTERSIGN_DATA_DIR: dir.dir } });
      expect(human.stdout).toContain('Agent sign-in: on (OAuth client "countersign", secret set; redirect URL https://countersign.acme.example/zendesk/oauth/callback)');
      expect(human.stdout).not.toContain(secret);
      const database = readFileSync(path.join(dir.dir, 'countersign.sqlite'));
      const wal = existsSync(path.join(dir.dir, 'countersign.sqlite-wal')) ? readFileSync(path.join(dir.dir, 'countersign.sqlite-wal')) : Buffer.alloc(0);
      expect(Buffer.concat([database, wal]).includes(secret)).toBe(false);

      await admin(dir.dir, 'zendesk', 'oauth', 'clear', '--workspace', 'acme');
      expect((await admin(dir.dir, 'zendesk', 'show', '--workspace', 'acme')).signIn).toMatchObject({ enabled: false, oauthClientId: null, clientSecret: false });
    } finally {
      dir.remove();
    }
  });

  it('links a workspace to Intercom, gates topics, and keeps the access token encrypted', async () => {
    const dir = makeTempDir('admin-intercom');
    try {
      await admin(dir.dir, 'workspace', 'create', 'acme');
      const token = 'intercom-token-never-in-plaintext-99';
      const linked = await adminWith({ INTERCOM_ACCESS_TOKEN: token }, dir.dir, 'intercom', 'link', '--workspace', 'acme', '--intercom-workspace', 'abc123', '--region', 'eu', '--admin-id', '42');
      expect(linked).toEqual({ workspace: 'acme', accessToken: true, notesOnCreation: false, link: { workspaceId: 'abc123', region: 'EU', adminId: '42', gatedTopics: [], callbackUrl: null } });
      const gated = await admin(dir.dir, 'intercom', 'gate', '--workspace', 'acme', '--topics', 'conversation.operator.replied,conversation.admin.assigned', '--callback-url', 'https://yourapp.com/intercom/decision-callback');
      expect(gated.link).toMatchObject({ gatedTopics: ['conversation.operator.replied', 'conversation.admin.assigned'], callbackUrl: 'https://yourapp.com/intercom/decision-callback' });
      expect(JSON.stringify([linked, gated])).not.toContain(token);
      const files = ['countersign.sqlite', 'countersign.sqlite-wal'].filter((f) => existsSync(path.join(dir.dir, f)));
      expect(Buffer.concat(files.map((f) => readFileSync(path.join(dir.dir, f)))).includes(token)).toBe(false);
      expect((await admin(dir.dir, 'intercom', 'unlink', '--workspace', 'acme')).link).toBeNull();
    } finally {
      dir.remove();
    }
  });

  it('gate --action and --summary templates name and summarise the requests the server makes of notifications', async () => {
    const dir = makeTempDir('admin-intercom-templates');
    try {
      await admin(dir.dir, 'workspace', 'create', 'acme');
      await admin(dir.dir, 'intercom', 'link', '--workspace', 'acme', '--intercom-workspace', 'ic_tpl');
      const gated = await admin(dir.dir, 'intercom', 'gate', '--workspace', 'acme', '--topics', 'conversation.operator.replied,conversation.admin.assigned',
        '--action', 'fin_refund_reply', '--summary', 'Fin answers {contactEmail} on #{conversationId}: {lastMessage}');
      const templated = { action: 'fin_refund_reply', summary: 'Fin answers {contactEmail} on #{conversationId}: {lastMessage}' };
      expect(gated.link.templates).toEqual({ 'conversation.operator.replied': templated, 'conversation.admin.assigned': templated });
      // Gating again without templates keeps them; an empty one goes back to the topic's default.
      await admin(dir.dir, 'intercom', 'gate', '--workspace', 'acme', '--topics', 'conversation.operator.replied,conversation.admin.assigned');
      await admin(dir.dir, 'intercom', 'gate', '--workspace', 'acme', '--topics', 'conversation.operator.replied,conversation.admin.assigned', '--summary', '');
      await admin(dir.dir, 'intercom', 'gate', '--workspace', 'acme', '--topics', 'conversation.operator.replied', '--summary', templated.summary);
      const shown = await admin(dir.dir, 'intercom', 'show', '--workspace', 'acme');
      expect(shown.wording).toEqual([
        { topic: 'conversation.operator.replied', ...templated, requester: 'Intercom Fin', custom: ['action', 'summary'] },
      ]);
      const human = await run(process.execPath, ['--import', 'tsx', 'server/src/admin/cli.ts', 'intercom', 'show', '--workspace', 'acme'], { cwd: ROOT, env: { ...process.env, COUNTERSIGN_DATA_DIR: dir.dir } });
      expect(human.stdout).toContain(`summary:   ${templated.summary}\n`);

      const server = await startTestServer({ dataDir: dir.dir, env: { INTERCOM_CLIENT_SECRET: INTERCOM_SECRET } });
      try {
        const body = JSON.stringify(notification('conversation.operator.replied', '7301', 'ic_tpl'));
        expect((await call(`${server.url}/webhooks/intercom`, { headers: signedDelivery(body), body })).status).toBe(200);
        const workspace = await server.app.workspaces.byName('acme');
        let approvals = await server.app.store.approvals.list(workspace.id, { conversationId: '7301' }, 10);
        for (let tries = 0; approvals.length === 0 && tries < 500; tries += 1) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          approvals = await server.app.store.approvals.list(workspace.id, { conversationId: '7301' }, 10);
        }
        expect(approvals[0]).toMatchObject({ action: 'fin_refund_reply', summary: 'Fin answers jordan@example.com on #7301: I can refund your order.', agentName: 'Intercom Fin' });
      } finally {
        await server.stop();
      }
    } finally {
      dir.remove();
    }
  });

  it('refuses a gate template with an unknown placeholder, naming it, and keeps the stored settings', async () => {
    const dir = makeTempDir('admin-intercom-bad-template');
    try {
      await admin(dir.dir, 'workspace', 'create', 'acme');
      await admin(dir.dir, 'intercom', 'link', '--workspace', 'acme', '--intercom-workspace', 'ic_bad');
      await admin(dir.dir, 'intercom', 'gate', '--workspace', 'acme', '--topics', 'conversation.operator.replied', '--action', 'fin_reply');
      const failure = await run(process.execPath, ['--import', 'tsx', 'server/src/admin/cli.ts', 'intercom', 'gate', '--workspace', 'acme', '--topics', 'conversation.operator.replied,ticket.created', '--summary', 'Refund for {customerEmail}'], {
        cwd: ROOT,
        env: { ...process.env, COUNTERSIGN_DATA_DIR: dir.dir },
      }).catch((error: { code: number; stderr: string }) => error);
      expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('The summary template uses {customerEmail}, which is not a placeholder. Known placeholders: {topic}') });
      expect((failure as { stderr: string }).stderr).not.toContain('    at ');
      const shown = await admin(dir.dir, 'intercom', 'show', '--workspace', 'acme');
      expect(shown.link).toMatchObject({ gatedTopics: ['conversation.operator.replied'], templates: { 'conversation.operator.replied': { action: 'fin_reply' } } });
    } finally {
      dir.remove();
    }
  });

  it('explains usage errors without a stack trace', async () => {
    const failure = await run(process.execPath, ['--import', 'tsx', 'server/src/admin/cli.ts', 'key', 'create', '--workspace', 'nope', '--scope', 'intake'], {
      cwd: ROOT,
      env: { ...process.env, COUNTERSIGN_DATA_DIR: temp.dir },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1, stderr: 'No workspace named "nope".\n' });
  });

  it('backs up the live SQLite store while the server writes, and a server on the restored copy has every request', async () => {
    const live = makeTempDir('backup-live');
    const restored = makeTempDir('backup-restored');
    const server = await startTestServer({ dataDir: live.dir });
    try {
      const before = await Promise.all(Array.from({ length: 20 }, () => server.intake.createApproval(seed001Async)));
      // Writes keep arriving while the backup runs.
      const during = Promise.all(Array.from({ length: 20 }, () => server.intake.createApproval(seed001Async)));
      const result = await admin(live.dir, 'store', 'backup', '--to', path.join(restored.dir, 'countersign.sqlite'));
      await during;
      expect(result.bytes).toBeGreaterThan(0);
      await expect(admin(live.dir, 'store', 'backup', '--to', path.join(restored.dir, 'countersign.sqlite'))).rejects.toThrow(/already exists/);

      copyFileSync(path.join(live.dir, 'secret.key'), path.join(restored.dir, 'secret.key'));
      const copy = await startTestServer({ dataDir: restored.dir });
      try {
        for (const created of before) expect((await copy.intake.getApproval(created.approval.approvalId)).status).toBe('pending');
      } finally {
        await copy.stop();
      }
    } finally {
      await server.stop();
      live.remove();
      restored.remove();
    }
  });

  it('reports the backlog: pending approvals and the outbox queue with their oldest ages', async () => {
    const dir = makeTempDir('status');
    const server = await startTestServer({ dataDir: dir.dir });
    try {
      for (let i = 0; i < 3; i++) await server.intake.createApproval(seed001Async);
      const report = await admin(dir.dir, 'store', 'status');
      expect(report).toMatchObject({ pendingApprovals: 3, queuedDeliveries: 0, oldestQueuedAgeS: null, failedDeliveriesLastHour: 0, unprocessedEvents: 0 });
      expect(report.oldestPendingAgeS).toBeGreaterThanOrEqual(0);
    } finally {
      await server.stop();
      dir.remove();
    }
  });
});
