// Evidence: one table of attacks × every signature verifier Countersign has or hands out.
//
// Columns: Standard Webhooks on decision callbacks — verified by our verifier (server/src/delivery/
// signing.ts), by a reference implementation written here from the specification, and by the example
// receiver (examples/decision-receiver.ts, run as its own process) — plus, through the real HTTP
// endpoints, Zendesk's webhook signature (POST /api/webhooks/inbound), Intercom's X-Hub-Signature
// (POST /webhooks/intercom), Canvas Kit's X-Body-Signature (POST /intercom/canvas/initialize) and
// Slack's X-Slack-Signature (POST /slack/interactions, a click on Approve).
//
// Every refusal by an HTTP endpoint must be a 401 with the error shape and must leave every stored
// approval and audit trail as it was. The control row ("valid") must be accepted, or the table proves
// nothing. Replays: identical Zendesk re-sends are answered with the approval they created (the
// invocation id is the idempotency key); Intercom notification ids are claimed once, and a correctly
// signed notification dated beyond the de-duplication window (or too far ahead) is acknowledged with
// 200 and ignored, as a replay its pruned record can no longer catch; a replayed
// canvas decision finds the request decided; a Slack signature is good for one request, so the same
// signed click again is refused like a forgery; the Standard Webhooks verifiers are stateless by design
// (a receiver deduplicates by webhook-id, as the example receiver does).
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCanvasBody } from '@countersign/intercom-canvas';
import { verifySignature } from '@countersign/server/delivery';
import { blockActionsPayload, signedInteraction } from '@countersign/playground';
import { IntercomSettings } from '@countersign/server/integrations/intercom';
import { slackSignature } from '@countersign/server/integrations/slack';
import { hubSignature } from '@countersign/server/integrations/intercom';
import type { WorkspaceRecord } from '@countersign/server/approvals';
import { startExampleReceiver, type ExampleReceiver } from '../support/example-receiver';
import { FakeIntercom } from '../support/fake-intercom';
import { ANA, actor, FakeSlack, slackWorkspace } from '../support/fake-slack';
import { INTERCOM_SECRET, notification } from '../support/intercom-notifications';
import { seed000Filled, seed001Sample } from '../support/seeds';
import { withServerAndReceiver } from '../support/server-and-receiver';
import { CALLBACK_SECRET, call, reviewer } from '../support/test-server';
import { ZENDESK_SIGNING_SECRET, zendeskWorkspace } from '../support/zendesk-workspace';
import { ErrorShape } from './support/raw-http';
import { checkStandardWebhook } from '../support/standard-webhooks';

const ROWS = [
  'valid (control)',
  'tampered body',
  'wrong secret',
  'missing header',
  'empty header',
  'truncated signature',
  'wrong-length signature',
  'over-long signature',
  'wrong prefix',
  'wrong case',
  'wrong encoding (hex/base64)',
  'stale timestamp',
  'future timestamp',
  'replay',
] as const;
type Row = (typeof ROWS)[number];
type Verdict = 'accepted' | 'refused' | 'deduplicated' | 'ignored' | 'n/a';

const IC_APP = 'ic_sig';
const GATED = 'conversation.operator.replied';
const OTHER_SECRET = 'not-the-right-secret-0123456789abcdef';
const SIX_MINUTES_S = 6 * 60;

const hmac = (algorithm: 'sha1' | 'sha256', key: string | Buffer, data: string) => createHmac(algorithm, key).update(data);
const swapCase = (s: string) => s.replace(/[a-z]/gi, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));

// --- Standard Webhooks, from the specification (https://www.standardwebhooks.com), independently of our code.

function stdKey(secret: string): Buffer {
  return Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
}

function stdSign(secret: string, id: string, timestamp: string, body: string, algorithm: 'sha1' | 'sha256' = 'sha256'): string {
  return hmac(algorithm, stdKey(secret), `${id}.${timestamp}.${body}`).digest('base64');
}

interface Cell {
  verdict: Verdict;
  expected: Verdict;
}

describe('signature verifiers: one table of attacks', () => {
  const fakeIntercom = new FakeIntercom();
  const fakeSlack = new FakeSlack();
  beforeAll(async () => {
    await fakeIntercom.start();
    await fakeSlack.start();
  });
  afterAll(async () => {
    await fakeIntercom.stop();
    await fakeSlack.stop();
  });
  const { server, receiver } = withServerAndReceiver(() => ({
    env: {
      INTERCOM_CLIENT_SECRET: INTERCOM_SECRET,
      INTERCOM_API_URL: fakeIntercom.url,
      SLACK_API_URL: fakeSlack.url,
      COUNTERSIGN_RATE_LIMIT_PER_KEY: '0',
      COUNTERSIGN_RATE_LIMIT_PER_IP: '0',
      COUNTERSIGN_RATE_LIMIT_PLATFORM_PER_IP: '0',
    },
  }));
  let example: ExampleReceiver;
  let zendeskKey: string;
  let zendeskWs: WorkspaceRecord;
  let icWs: WorkspaceRecord;
  let icIntakeKey: string;
  /** A decision callback exactly as Countersign sent it. */
  let callback: { headers: Record<string, string>; body: string; approvalId: string };
  const table = new Map<string, Map<Row, Cell>>();

  beforeAll(async () => {
    const zd = await zendeskWorkspace(server, 'zd-signed', { signingSecret: ZENDESK_SIGNING_SECRET });
    zendeskKey = zd.intakeKey;
    zendeskWs = zd.workspace;
    const intercom = new IntercomSettings(server.app.store, server.app.workspaces, server.config.intercom);
    icWs = await intercom.setLink((await server.app.workspaces.create('ic-signed')).workspace, { workspaceId: IC_APP, region: 'US', adminId: '7001', gatedTopics: [GATED], callbackUrl: null }, fakeIntercom.token);
    icIntakeKey = (await server.app.workspaces.issueKey(icWs, 'intake')).key;

    // Something to protect: approvals pending and decided in every workspace the rows touch.
    await server.intake.createApproval(seed001Sample);
    const decided = (await server.intake.createApproval({ ...seed001Sample, details: { ticket_id: '31' } })).approval.approvalId;
    await server.review.decide(decided, { decision: 'reject', reviewer, note: 'no' });

    // A real decision callback, signed by the server with the workspace's whsec_ secret.
    const { approval } = await server.intake.createApproval({ ...seed001Sample, callbackUrl: `${receiver.url}/decision` });
    await server.review.decide(approval.approvalId, { decision: 'approve', reviewer });
    const [sent] = await receiver.waitFor((all) => all.some((r) => r.json.approvalId === approval.approvalId));
    const received = receiver.for(approval.approvalId)[0] ?? sent!;
    callback = {
      headers: { 'webhook-id': String(received.headers['webhook-id']), 'webhook-timestamp': String(received.headers['webhook-timestamp']), 'webhook-signature': String(received.headers['webhook-signature']) },
      body: received.body,
      approvalId: approval.approvalId,
    };
    example = await startExampleReceiver(CALLBACK_SECRET);
  });

  afterAll(async () => {
    await example?.stop();
  });

  /** Every approval in every workspace, with its audit trail. */
  async function everything(): Promise<string> {
    const store = server.app.store;
    const all: unknown[] = [];
    for (const workspace of await store.workspaces.list()) {
      for (const approval of await store.approvals.list(workspace.id, {}, 1000)) all.push({ approval, events: await store.approvals.listEvents(workspace.id, approval.id) });
    }
    return JSON.stringify(all);
  }

  function put(column: string, row: Row, verdict: Verdict, expected: Verdict): void {
    if (!table.has(column)) table.set(column, new Map());
    table.get(column)!.set(row, { verdict, expected });
  }

  /** An HTTP refusal: 401, the error shape, and nothing stored changed. */
  async function refusedOverHttp(before: string, response: { status: number; body: unknown }): Promise<boolean> {
    if (response.status !== 401) return false;
    expect(ErrorShape.safeParse(response.body).success, JSON.stringify(response.body)).toBe(true);
    expect(await everything()).toBe(before);
    return true;
  }

  // --- Standard Webhooks ---------------------------------------------------------------------------

  /** The callback as each row presents it to a receiver; null when the row does not apply. */
  function stdMessage(row: Row): { headers: Record<string, string | undefined>; body: string } | null {
    const { headers, body } = callback;
    const signature = headers['webhook-signature']!;
    const mac = signature.slice(3);
    const resign = (timestamp: string) => ({ headers: { ...headers, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${stdSign(CALLBACK_SECRET, headers['webhook-id']!, timestamp, body)}` }, body });
    const now = Math.floor(Date.now() / 1000);
    switch (row) {
      case 'valid (control)': case 'replay': return { headers, body };
      case 'tampered body': return { headers, body: body.replace('"APPROVED"', '"REJECTED"').replace('"approved"', '"rejected"') };
      case 'wrong secret': return { headers: { ...headers, 'webhook-signature': `v1,${stdSign('whsec_' + Buffer.from(OTHER_SECRET).toString('base64'), headers['webhook-id']!, headers['webhook-timestamp']!, body)}` }, body };
      case 'missing header': return { headers: { ...headers, 'webhook-signature': undefined }, body };
      case 'empty header': return { headers: { ...headers, 'webhook-signature': '' }, body };
      case 'truncated signature': return { headers: { ...headers, 'webhook-signature': signature.slice(0, -4) }, body };
      case 'wrong-length signature': return { headers: { ...headers, 'webhook-signature': `v1,${stdSign(CALLBACK_SECRET, headers['webhook-id']!, headers['webhook-timestamp']!, body, 'sha1')}` }, body };
      case 'over-long signature': return { headers: { ...headers, 'webhook-signature': `${signature}AAAA` }, body };
      case 'wrong prefix': return { headers: { ...headers, 'webhook-signature': `v2,${mac}` }, body };
      case 'wrong case': return { headers: { ...headers, 'webhook-signature': `v1,${swapCase(mac)}` }, body };
      case 'wrong encoding (hex/base64)': return { headers: { ...headers, 'webhook-signature': `v1,${Buffer.from(mac, 'base64').toString('hex')}` }, body };
      case 'stale timestamp': return resign(String(now - SIX_MINUTES_S));
      case 'future timestamp': return resign(String(now + SIX_MINUTES_S));
    }
  }

  it('Standard Webhooks callbacks: our verifier, a reference verifier and the example receiver', async () => {
    expect(callback.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    for (const row of ROWS) {
      const message = stdMessage(row)!;
      const expected: Verdict = row === 'valid (control)' || row === 'replay' ? 'accepted' : 'refused';
      const ours = () => verifySignature(CALLBACK_SECRET, { id: message.headers['webhook-id'], timestamp: message.headers['webhook-timestamp'], signature: message.headers['webhook-signature'], body: message.body }).ok;
      const reference = () => checkStandardWebhook(CALLBACK_SECRET, message.headers, message.body).ok;
      const times = row === 'replay' ? 2 : 1;
      put('std-webhooks: ours', row, Array.from({ length: times }, ours).every(Boolean) ? 'accepted' : 'refused', expected);
      put('std-webhooks: reference', row, Array.from({ length: times }, reference).every(Boolean) ? 'accepted' : 'refused', expected);

      // The example receiver: 200 when it accepts, 401 when it refuses; it handles a webhook-id once.
      const handledBefore = example.output.filter((line) => line.includes(callback.approvalId)).length;
      const statuses: number[] = [];
      for (let i = 0; i < times; i++) {
        const headers = Object.fromEntries(Object.entries(message.headers).filter((entry): entry is [string, string] => entry[1] !== undefined));
        statuses.push((await call(`${example.url}/callback`, { headers: { 'content-type': 'application/json', ...headers }, body: message.body })).status);
      }
      const handled = await settledCount(() => example.output.filter((line) => line.includes(callback.approvalId)).length - handledBefore);
      let verdict: Verdict;
      if (statuses.every((s) => s === 401)) verdict = 'refused';
      else if (statuses.every((s) => s === 200)) verdict = row === 'replay' ? (handled === 1 ? 'deduplicated' : 'accepted') : 'accepted';
      else verdict = 'n/a';
      // The control was already handled by the first row, so the replay row handles nothing new: count both as one delivery.
      put('std-webhooks: example receiver', row, row === 'replay' && verdict === 'accepted' && handled === 0 ? 'deduplicated' : verdict, row === 'replay' ? 'deduplicated' : expected);
    }
    assertColumn('std-webhooks: ours');
    assertColumn('std-webhooks: reference');
    assertColumn('std-webhooks: example receiver');
  });

  // --- Zendesk -------------------------------------------------------------------------------------

  it('Zendesk webhook signature, through POST /api/webhooks/inbound', async () => {
    let ticket = 8800;
    for (const row of ROWS) {
      const body = JSON.stringify(seed000Filled(String(++ticket), 'https://automation.example/decision'));
      const at = row === 'stale timestamp' ? Date.now() - SIX_MINUTES_S * 1000 : row === 'future timestamp' ? Date.now() + SIX_MINUTES_S * 1000 : Date.now();
      const timestamp = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const mac = (secret = ZENDESK_SIGNING_SECRET, algorithm: 'sha1' | 'sha256' = 'sha256') => hmac(algorithm, secret, timestamp + body);
      const valid = mac().digest('base64');
      const signatures: Partial<Record<Row, string | null>> = {
        'valid (control)': valid,
        'tampered body': valid,
        'wrong secret': mac(OTHER_SECRET).digest('base64'),
        'missing header': null,
        'empty header': '',
        'truncated signature': valid.slice(0, -4),
        'wrong-length signature': mac(ZENDESK_SIGNING_SECRET, 'sha1').digest('base64'),
        'over-long signature': `${valid}AAAA`,
        'wrong prefix': `sha256=${valid}`,
        'wrong case': swapCase(valid),
        'wrong encoding (hex/base64)': mac().digest('hex'),
        'stale timestamp': valid,
        'future timestamp': valid,
        replay: valid,
      };
      const signature = signatures[row]!;
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-api-key': zendeskKey, 'x-zendesk-webhook-signature-timestamp': timestamp, 'x-zendesk-webhook-invocation-id': `inv-${ticket}` };
      if (signature !== null) headers['x-zendesk-webhook-signature'] = signature;
      const sent = row === 'tampered body' ? body.replace('49.00', '4900.00') : body;
      const post = () => call(`${server.url}/api/webhooks/inbound`, { headers, body: sent });
      const before = await everything();
      const countBefore = (await server.app.store.approvals.list(zendeskWs.id, {}, 1000)).length;
      const first = await post();
      let verdict: Verdict;
      if (await refusedOverHttp(before, first)) verdict = 'refused';
      else {
        expect(first.status, JSON.stringify(first.body)).toBe(201);
        verdict = 'accepted';
        if (row === 'replay') {
          const again = await post();
          expect(again.status).toBe(201);
          if (again.headers.get('idempotent-replayed') === 'true' && again.body.approvalId === first.body.approvalId) verdict = 'deduplicated';
        }
        expect((await server.app.store.approvals.list(zendeskWs.id, {}, 1000)).length, 'one approval for one signed request').toBe(countBefore + 1);
      }
      put('zendesk (HTTP)', row, verdict, row === 'valid (control)' ? 'accepted' : row === 'replay' ? 'deduplicated' : 'refused');
    }
    assertColumn('zendesk (HTTP)');
  });

  // --- Intercom webhooks ---------------------------------------------------------------------------

  it('Intercom X-Hub-Signature, through POST /webhooks/intercom', async () => {
    let conversation = 7700;
    for (const row of ROWS) {
      const conversationId = String(++conversation);
      const body = JSON.stringify(notification(GATED, conversationId, IC_APP));
      const valid = hubSignature(INTERCOM_SECRET, body);
      const hex = valid.slice(5);
      const signatures: Partial<Record<Row, string | null>> = {
        'valid (control)': valid,
        'tampered body': valid,
        'wrong secret': hubSignature(OTHER_SECRET, body),
        'missing header': null,
        'empty header': '',
        'truncated signature': valid.slice(0, -4),
        'wrong-length signature': `sha1=${hmac('sha256', INTERCOM_SECRET, body).digest('hex')}`,
        'over-long signature': `${valid}00`,
        'wrong prefix': `sha256=${hex}`,
        // Hex is case-insensitive: the same bytes, so the same signature.
        'wrong case': `sha1=${hex.toUpperCase()}`,
        'wrong encoding (hex/base64)': `sha1=${Buffer.from(hex, 'hex').toString('base64')}`,
        replay: valid,
      };
      if (row === 'stale timestamp' || row === 'future timestamp') {
        put('intercom webhook (HTTP)', row, await datedOutsideTheWindow(row, conversationId), 'ignored');
        continue;
      }
      const signature = signatures[row]!;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (signature !== null) headers['x-hub-signature'] = signature;
      const sent = row === 'tampered body' ? body.replace(GATED, 'conversation.admin.closed') : body;
      const approvals = () => server.app.store.approvals.list(icWs.id, { conversationId }, 100);
      const before = await everything();
      const first = await call(`${server.url}/webhooks/intercom`, { headers, body: sent });
      let verdict: Verdict;
      if (await refusedOverHttp(before, first)) {
        verdict = 'refused';
        // The refused notification's id was never claimed: the genuine delivery is still new.
        const genuine = await call(`${server.url}/webhooks/intercom`, { headers: { 'content-type': 'application/json', 'x-hub-signature': valid }, body });
        expect(genuine.body).toEqual({ received: true, duplicate: false });
        await eventually(async () => (await approvals()).length === 1);
      } else {
        expect(first.status).toBe(200);
        expect(first.body).toEqual({ received: true, duplicate: false });
        verdict = 'accepted';
        if (row === 'replay') {
          const again = await call(`${server.url}/webhooks/intercom`, { headers, body: sent });
          expect(again.status).toBe(200);
          if (again.body.duplicate === true) verdict = 'deduplicated';
        }
        await eventually(async () => (await approvals()).length === 1);
        await new Promise((r) => setTimeout(r, 100));
        expect(await approvals(), 'one approval for one notification').toHaveLength(1);
      }
      put('intercom webhook (HTTP)', row, verdict, row === 'valid (control)' || row === 'wrong case' ? 'accepted' : row === 'replay' ? 'deduplicated' : 'refused');
    }
    assertColumn('intercom webhook (HTTP)');
  });

  /**
   * A correctly signed notification whose created_at lies beyond the de-duplication window (8 days
   * old; the default window is 7) or more than the allowed skew ahead: 200, nothing stored changes,
   * and its id is not recorded (the genuine, fresh notification with that id is still new).
   */
  async function datedOutsideTheWindow(row: 'stale timestamp' | 'future timestamp', conversationId: string): Promise<Verdict> {
    const genuine = notification(GATED, conversationId, IC_APP);
    const shiftS = row === 'stale timestamp' ? -8 * 24 * 3600 : SIX_MINUTES_S;
    const body = JSON.stringify({ ...genuine, created_at: genuine.created_at + shiftS });
    const headers = { 'content-type': 'application/json', 'x-hub-signature': hubSignature(INTERCOM_SECRET, body) };
    const before = await everything();
    const response = await call(`${server.url}/webhooks/intercom`, { headers, body });
    await new Promise((r) => setTimeout(r, 200));
    const ignored = response.status === 200 && response.body.received === true && typeof response.body.ignored === 'string' && (await everything()) === before;
    const fresh = JSON.stringify(genuine);
    const control = await call(`${server.url}/webhooks/intercom`, { headers: { ...headers, 'x-hub-signature': hubSignature(INTERCOM_SECRET, fresh) }, body: fresh });
    expect(control.body).toEqual({ received: true, duplicate: false });
    await eventually(async () => (await server.app.store.approvals.list(icWs.id, { conversationId }, 100)).length === 1);
    return ignored ? 'ignored' : 'accepted';
  }

  // --- Canvas Kit ----------------------------------------------------------------------------------

  it('Canvas Kit X-Body-Signature, through POST /intercom/canvas/initialize (and a replayed decision through submit)', async () => {
    const admin = { type: 'admin', id: '7002', name: 'Riley Teammate', email: 'riley@acme.example' };
    const body = JSON.stringify({ workspace_id: IC_APP, admin, conversation: { type: 'conversation', id: '6600' }, context: { location: 'inbox' } });
    const valid = signCanvasBody(INTERCOM_SECRET, body);
    const signatures: Partial<Record<Row, string | null>> = {
      'valid (control)': valid,
      'tampered body': valid,
      'wrong secret': signCanvasBody(OTHER_SECRET, body),
      'missing header': null,
      'empty header': '',
      'truncated signature': valid.slice(0, -4),
      'wrong-length signature': hmac('sha1', INTERCOM_SECRET, body).digest('hex'),
      'over-long signature': `${valid}00`,
      'wrong prefix': `sha256=${valid}`,
      // Hex is case-insensitive: the same bytes, so the same signature.
      'wrong case': valid.toUpperCase(),
      'wrong encoding (hex/base64)': Buffer.from(valid, 'hex').toString('base64'),
    };
    for (const row of ROWS) {
      if (row === 'stale timestamp' || row === 'future timestamp') {
        put('canvas (HTTP)', row, 'n/a', 'n/a'); // no timestamp in this scheme
        continue;
      }
      if (row === 'replay') continue;
      const signature = signatures[row]!;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (signature !== null) headers['x-body-signature'] = signature;
      const sent = row === 'tampered body' ? body.replace('7002', '7001') : body;
      const before = await everything();
      const response = await call(`${server.url}/intercom/canvas/initialize`, { headers, body: sent });
      let verdict: Verdict;
      if (await refusedOverHttp(before, response)) verdict = 'refused';
      else {
        expect(response.status).toBe(200);
        expect(response.body.canvas.content.components.length).toBeGreaterThan(0);
        expect(await everything()).toBe(before); // initialize only reads
        verdict = 'accepted';
      }
      put('canvas (HTTP)', row, verdict, row === 'valid (control)' || row === 'wrong case' ? 'accepted' : 'refused');
    }

    // Replay: the same signed "approve" click sent twice decides once.
    const { approval } = await call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': icIntakeKey }, json: { ...seed001Sample, context: { platform: 'intercom', conversationId: '6601' } } }).then((r) => ({ approval: r.body }));
    const submit = JSON.stringify({ workspace_id: IC_APP, admin, conversation: { type: 'conversation', id: '6601' }, component_id: `approve:${approval.approvalId}`, input_values: {} });
    const click = () => call(`${server.url}/intercom/canvas/submit`, { headers: { 'content-type': 'application/json', 'x-body-signature': signCanvasBody(INTERCOM_SECRET, submit) }, body: submit });
    const first = await click();
    expect(first.status).toBe(200);
    const decided = await server.app.store.approvals.get(icWs.id, approval.approvalId);
    expect(decided?.status).toBe('approved');
    const afterFirst = await everything();
    const again = await click();
    expect(again.status).toBe(200);
    const unchanged = (await everything()) === afterFirst;
    put('canvas (HTTP)', 'replay', unchanged ? 'deduplicated' : 'accepted', 'deduplicated');
    assertColumn('canvas (HTTP)');
  });

  // --- Slack ---------------------------------------------------------------------------------------

  it('Slack X-Slack-Signature, through POST /slack/interactions (a click on Approve)', async () => {
    const slackWs = (await slackWorkspace(server, 'slack-signed', fakeSlack)).workspace;
    const slackIntake = (await server.app.workspaces.issueKey(slackWs, 'intake')).key;
    const secret = fakeSlack.workspace.signingSecret;
    for (const row of ROWS) {
      const created = await call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': slackIntake }, json: { ...seed001Sample, details: { ticket_id: String(5500 + ROWS.indexOf(row)) } } });
      const approvalId = created.body.approvalId as string;
      const message = await fakeSlack.waitForMessage(approvalId);
      // The outbox is done with this request (its post's attempt recorded), so the snapshots below hold still.
      const attempts = async (n: number) => (await server.app.store.approvals.listEvents(slackWs.id, approvalId)).filter((e) => e.type === 'delivery.attempt').length >= n;
      await eventually(() => attempts(1));
      const payload = blockActionsPayload(actor(ANA), message, { actionId: 'countersign_approve', value: approvalId }, fakeSlack.workspace.newTrigger());
      const now = Date.now();
      const at = row === 'stale timestamp' ? now - SIX_MINUTES_S * 1000 : row === 'future timestamp' ? now + SIX_MINUTES_S * 1000 : now;
      const { headers, body } = signedInteraction(secret, payload, at);
      const timestamp = headers['x-slack-request-timestamp']!;
      const valid = headers['x-slack-signature']!;
      const hex = valid.slice(3);
      const signatures: Record<Row, string | null> = {
        'valid (control)': valid,
        'tampered body': valid,
        'wrong secret': slackSignature(OTHER_SECRET, timestamp, body),
        'missing header': null,
        'empty header': '',
        'truncated signature': valid.slice(0, -4),
        'wrong-length signature': `v0=${hmac('sha1', secret, `v0:${timestamp}:${body}`).digest('hex')}`,
        'over-long signature': `${valid}00`,
        'wrong prefix': `v1=${hex}`,
        // Slack compares the signature as text, and sends lower-case hex: upper case is not its signature.
        'wrong case': `v0=${hex.toUpperCase()}`,
        'wrong encoding (hex/base64)': `v0=${Buffer.from(hex, 'hex').toString('base64')}`,
        'stale timestamp': valid,
        'future timestamp': valid,
        replay: valid,
      };
      const signature = signatures[row];
      const sentHeaders: Record<string, string> = { 'content-type': headers['content-type']!, 'x-slack-request-timestamp': timestamp };
      if (signature !== null) sentHeaders['x-slack-signature'] = signature;
      const sent = row === 'tampered body' ? body.replaceAll('countersign_approve', 'countersign_reject') : body;
      const approved = async () => (await server.app.store.approvals.get(slackWs.id, approvalId))?.status === 'approved';
      const before = await everything();
      const first = await call(`${server.url}/slack/interactions`, { headers: sentHeaders, body: sent });
      let verdict: Verdict;
      if (await refusedOverHttp(before, first)) verdict = 'refused';
      else {
        expect(first.status).toBe(200);
        await eventually(approved);
        // …and with the message's update sent.
        await eventually(() => attempts(2));
        verdict = 'accepted';
        if (row === 'replay') {
          const afterFirst = await everything();
          const again = await call(`${server.url}/slack/interactions`, { headers: sentHeaders, body: sent });
          if (await refusedOverHttp(afterFirst, again)) verdict = 'refused';
        }
      }
      put('slack (HTTP)', row, verdict, row === 'valid (control)' ? 'accepted' : 'refused');
    }
    assertColumn('slack (HTTP)');
  });

  it('prints the table', () => {
    const columns = [...table.keys()];
    const rows = ROWS.map((row) => Object.fromEntries([['row', row], ...columns.map((column) => [column, table.get(column)!.get(row)?.verdict ?? '—'])]));
    console.log('signatures: every verdict is the expected one (refusals over HTTP: 401 with the error shape, nothing stored changed)');
    console.table(rows);
    const counts = { accepted: 0, refused: 0, deduplicated: 0, ignored: 0, 'n/a': 0 };
    for (const column of table.values()) for (const cell of column.values()) counts[cell.verdict]++;
    console.log(`signatures: ${columns.length} verifiers × ${ROWS.length} rows; ${JSON.stringify(counts)}`);
    expect(columns).toHaveLength(7);
  });

  function assertColumn(column: string): void {
    const cells = table.get(column)!;
    const wrong = ROWS.filter((row) => cells.get(row)?.verdict !== cells.get(row)?.expected).map((row) => `${row}: got ${cells.get(row)?.verdict}, expected ${cells.get(row)?.expected}`);
    expect(wrong, column).toEqual([]);
  }
});

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A count read after the child process had a moment to write its output. */
async function settledCount(read: () => number): Promise<number> {
  await new Promise((r) => setTimeout(r, 150));
  return read();
}
