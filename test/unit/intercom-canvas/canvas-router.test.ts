// The canvas router over real HTTP, with an in-memory backend: what Intercom gets back for each
// initialize and submit, what reaches the backend, and the 401/400/413/503 edges.
import { afterEach, describe, expect, it } from 'vitest';
import { SubmitResponse, signCanvasBody, type CanvasObject } from '@countersign/intercom-canvas';
import { approvalView, decidedView } from './support/approvals';
import { buttonIds, ofType, texts } from './support/canvas-json';
import { CLIENT_SECRET, INSTALL_URL, WORKSPACE, initializeBody, post, startCanvasServer, submitBody, type CanvasServer } from './support/canvas-server';
import { FakeCanvasBackend } from './support/fake-backend';

const servers: CanvasServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(...args: Parameters<typeof startCanvasServer>): Promise<CanvasServer> {
  const server = await startCanvasServer(...args);
  servers.push(server);
  return server;
}

/** A server whose backend holds a pending refund and a pending cancellation in conversation 215467. */
async function withRequests() {
  const server = await start();
  const refund = approvalView({ action: 'process_refund', details: { orderId: '1234', amount: 49.99, notify: true }, createdAt: '2026-11-23T18:52:00.000Z' });
  const cancel = approvalView({ action: 'cancel_subscription', createdAt: '2026-11-23T18:50:00.000Z' });
  const elsewhere = approvalView({ context: { platform: 'intercom', conversationId: '999' } });
  server.backend.add(WORKSPACE, refund, cancel, elsewhere);
  return { server, refund, cancel, elsewhere };
}

async function initialize(server: CanvasServer, overrides: Record<string, unknown> = {}) {
  return post(`${server.url}/intercom/canvas/initialize`, JSON.stringify(initializeBody(overrides)));
}
async function submit(server: CanvasServer, componentId: string, inputValues: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) {
  return post(`${server.url}/intercom/canvas/submit`, JSON.stringify(submitBody(componentId, inputValues, overrides)));
}

/** The canvas of a 200 answer that is a valid submit (and initialize) response without `event`. */
function canvasOf(answer: { status: number; body: any }): CanvasObject {
  expect(answer.status).toBe(200);
  expect(SubmitResponse.parse(answer.body)).toEqual(answer.body);
  expect(Object.keys(answer.body)).toEqual(['canvas']);
  return answer.body.canvas as CanvasObject;
}

describe('initialize', () => {
  it('lists the conversation’s pending requests', async () => {
    const { server, refund, cancel } = await withRequests();
    const canvas = canvasOf(await initialize(server));
    expect(ofType(canvas, 'list')[0]?.items.map((item) => item.id)).toEqual([`open:${refund.approvalId}`, `open:${cancel.approvalId}`]);
    expect(texts(canvas)).toContain('2 requests wait for a decision.');
    expect(canvas.stored_data).toEqual({ v: 1, view: 'list', conversationId: '215467' });
  });

  it('shows the connect canvas for an Intercom workspace no Countersign workspace is linked to', async () => {
    const { server } = await withRequests();
    const canvas = canvasOf(await initialize(server, { workspace_id: 'ic_unknown' }));
    expect(texts(canvas).join(' ')).toContain('Ask your Countersign admin to connect this Intercom workspace');
    expect(ofType(canvas, 'button').map((button) => button.action)).toContainEqual({ type: 'url', url: INSTALL_URL });
  });

  it('without a conversation, says to open one', async () => {
    const { server } = await withRequests();
    const canvas = canvasOf(await initialize(server, { conversation: undefined }));
    expect(texts(canvas)).toContain('Open a conversation to see the approval requests waiting in it.');
  });

  it('a failing backend gives the error canvas with Try again, and is reported', async () => {
    const { server } = await withRequests();
    server.backend.failWith = new Error('store unavailable');
    const canvas = canvasOf(await initialize(server));
    expect(texts(canvas)).toContain('Something went wrong');
    expect(buttonIds(canvas)).toEqual(['refresh']);
    expect(server.errors).toEqual([server.backend.failWith]);
  });
});

describe('submit', () => {
  it('open → the detail canvas; back → the list', async () => {
    const { server, refund } = await withRequests();
    const detail = canvasOf(await submit(server, `open:${refund.approvalId}`));
    expect(buttonIds(detail)).toEqual([`approve:${refund.approvalId}`, `edit:${refund.approvalId}`, `reject:${refund.approvalId}`, 'back']);
    expect(detail.stored_data).toEqual({ v: 1, view: 'detail', approvalId: refund.approvalId, conversationId: '215467' });
    const list = canvasOf(await submit(server, 'back', {}, { current_canvas: detail }));
    expect(ofType(list, 'list')).toHaveLength(1);
  });

  it('approve → the backend decides as the signed admin via intercom, and the decided canvas follows', async () => {
    const { server, refund } = await withRequests();
    const canvas = canvasOf(await submit(server, `approve:${refund.approvalId}`));
    expect(server.backend.decisions).toEqual([
      {
        workspaceId: WORKSPACE,
        approvalId: refund.approvalId,
        input: { decision: 'approve', reviewer: { id: '991267696', name: 'Ana Teammate', email: 'ana@example.com', via: 'intercom' } },
      },
    ]);
    expect(texts(canvas)).toContain('**Approved**');
    expect(texts(canvas)).toContain('Decided by Ana Teammate \\(ana\\@example.com\\)');
    expect(canvas.stored_data).toMatchObject({ view: 'decided', approvalId: refund.approvalId });
  });

  it('reject → the note form; reject-confirm sends the note', async () => {
    const { server, refund } = await withRequests();
    const form = canvasOf(await submit(server, `reject:${refund.approvalId}`));
    expect(ofType(form, 'textarea').map((t) => t.id)).toEqual(['note']);
    const canvas = canvasOf(await submit(server, `reject-confirm:${refund.approvalId}`, { note: '  Duplicate request.  ' }));
    expect(server.backend.decisions.map((d) => d.input)).toEqual([
      { decision: 'reject', note: 'Duplicate request.', reviewer: expect.objectContaining({ id: '991267696', via: 'intercom' }) },
    ]);
    expect(texts(canvas)).toContain('**Rejected**');
    expect(texts(canvas)).toEqual(expect.arrayContaining(['**Note**', 'Duplicate request.']));
  });

  it('reject-confirm with a note over 5000 characters shows the form again and decides nothing', async () => {
    const { server, refund } = await withRequests();
    const canvas = canvasOf(await submit(server, `reject-confirm:${refund.approvalId}`, { note: 'x'.repeat(5001) }));
    expect(server.backend.decisions).toEqual([]);
    expect(ofType(canvas, 'textarea')[0]).toMatchObject({ id: 'note', error: true });
  });

  it('edit → inputs prefilled; edit-approve with a changed number sends a merge patch of that number', async () => {
    const { server, refund } = await withRequests();
    const form = canvasOf(await submit(server, `edit:${refund.approvalId}`));
    const inputValues = Object.fromEntries(ofType(form, 'input').map((input) => [input.id, input.value]));
    expect(inputValues).toEqual({ 'detail:orderId': '1234', 'detail:amount': '49.99', 'detail:notify': 'true' });
    const canvas = canvasOf(await submit(server, `edit-approve:${refund.approvalId}`, { ...inputValues, 'detail:amount': '20', note: 'Partial refund' }));
    const [decision] = server.backend.decisions;
    expect(decision?.input).toEqual({
      decision: 'approve',
      modifiedDetails: { amount: 20 },
      note: 'Partial refund',
      reviewer: expect.objectContaining({ via: 'intercom' }),
    });
    expect(typeof decision?.input.modifiedDetails?.amount).toBe('number');
    expect(ofType(canvas, 'data-table')[1]?.items).toEqual([{ type: 'field-value', field: 'amount', value: '20' }]);
  });

  it('edit-approve with text in a number field shows the edit form with the field named, and decides nothing', async () => {
    const { server, refund } = await withRequests();
    const canvas = canvasOf(await submit(server, `edit-approve:${refund.approvalId}`, { 'detail:amount': 'twenty', 'detail:orderId': '999' }));
    expect(server.backend.decisions).toEqual([]);
    expect(ofType(canvas, 'text').filter((t) => t.style === 'error').map((t) => t.text)).toEqual(['“amount” must be a number, like 42 or 12.5.']);
    expect(ofType(canvas, 'input').map(({ id, value, save_state }) => ({ id, value, save_state }))).toEqual([
      { id: 'detail:orderId', value: '999', save_state: undefined },
      { id: 'detail:amount', value: 'twenty', save_state: 'failed' },
      { id: 'detail:notify', value: 'true', save_state: undefined },
    ]);
  });

  it('edit-approve with nothing changed approves without modifiedDetails', async () => {
    const { server, refund } = await withRequests();
    canvasOf(await submit(server, `edit-approve:${refund.approvalId}`, { 'detail:amount': '49.99' }));
    expect(server.backend.decisions.map((d) => d.input.modifiedDetails)).toEqual([undefined]);
  });

  it('a decision that loses the race shows who decided first', async () => {
    const { server, refund } = await withRequests();
    server.backend.decidedElsewhereFirst = { decision: 'reject', reviewer: { id: 'z1', name: 'Bo Zendesk', via: 'zendesk' } };
    const canvas = canvasOf(await submit(server, `approve:${refund.approvalId}`));
    expect(texts(canvas)[0]).toBe('Someone else decided first: Bo Zendesk rejected this request.');
    expect(canvas.stored_data).toMatchObject({ view: 'conflict' });
  });

  it('a request decided meanwhile shows its outcome on any click, without deciding again', async () => {
    const server = await start();
    const done = decidedView('approved');
    server.backend.add(WORKSPACE, done);
    for (const verb of ['open', 'approve', 'reject-confirm', 'edit-approve']) {
      const canvas = canvasOf(await submit(server, `${verb}:${done.approvalId}`, { note: 'late' }));
      expect(texts(canvas)).toContain('**Approved**');
    }
    expect(server.backend.decisions).toEqual([]);
  });

  it('an approval of another workspace is not found, and cannot be decided', async () => {
    const server = await start({}, new FakeCanvasBackend({ ic_workspace_1: 'ws_acme', ic_other: 'ws_other' }));
    const theirs = approvalView();
    server.backend.add('ws_other', theirs);
    const canvas = canvasOf(await submit(server, `approve:${theirs.approvalId}`));
    expect(texts(canvas)).toContain('Request not found');
    expect(server.backend.decisions).toEqual([]);
  });

  it('unknown component ids lead back to the list', async () => {
    const { server } = await withRequests();
    for (const id of ['delete:everything', 'open:', 'full-request:apr_1', 'nonsense']) {
      expect(ofType(canvasOf(await submit(server, id)), 'list')).toHaveLength(1);
    }
  });

  it('reads the conversation from stored_data when Intercom leaves it out (either place)', async () => {
    const { server, elsewhere } = await withRequests();
    const stored = { v: 1, view: 'list', conversationId: '999' };
    for (const place of [{ current_canvas: { content: { components: [] }, stored_data: stored } }, { current_canvas: undefined, stored_data: stored }]) {
      const canvas = canvasOf(await submit(server, 'refresh', {}, { conversation: undefined, ...place }));
      expect(ofType(canvas, 'list')[0]?.items.map((item) => item.id)).toEqual([`open:${elsewhere.approvalId}`]);
    }
  });

  it('a backend failure while deciding gives the error canvas whose Try again reopens the request', async () => {
    const { server, refund } = await withRequests();
    server.backend.failWith = new Error('database is locked');
    const canvas = canvasOf(await submit(server, `approve:${refund.approvalId}`));
    expect(buttonIds(canvas)).toEqual([`open:${refund.approvalId}`]);
    expect(server.errors).toHaveLength(1);
  });
});

describe('signatures and bodies', () => {
  const body = JSON.stringify(initializeBody());

  it.each([
    ['no signature', null],
    ['a signature over another body', signCanvasBody(CLIENT_SECRET, body.replace('215467', '215468'))],
    ['another secret', signCanvasBody('not-the-client-secret', body)],
    ['a truncated signature', signCanvasBody(CLIENT_SECRET, body).slice(0, 40)],
    ['a non-hex signature', 'g'.repeat(64)],
  ])('%s → 401 invalid_signature, never echoing the secret', async (_name, signature) => {
    const { server } = await withRequests();
    const answer = await post(`${server.url}/intercom/canvas/initialize`, body, signature);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: { code: 'invalid_signature', message: expect.any(String), issues: [] } });
    expect(answer.text).not.toContain(CLIENT_SECRET);
  });

  it('accepts a signature over the re-serialised JSON', async () => {
    const { server } = await withRequests();
    const spaced = JSON.stringify(initializeBody(), null, 2);
    const answer = await post(`${server.url}/intercom/canvas/initialize`, spaced, signCanvasBody(CLIENT_SECRET, JSON.stringify(JSON.parse(spaced))));
    expect(ofType(canvasOf(answer), 'list')).toHaveLength(1);
  });

  it('garbage after a good signature → 400 invalid_json', async () => {
    const { server } = await withRequests();
    const answer = await post(`${server.url}/intercom/canvas/submit`, '{"workspace_id": ');
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_json');
  });

  it('a signed body that is not a Canvas Kit request → 400 invalid_request with issues', async () => {
    const { server } = await withRequests();
    const answer = await post(`${server.url}/intercom/canvas/submit`, JSON.stringify(initializeBody()));
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'invalid_request', issues: [expect.objectContaining({ path: ['component_id'] })] });
  });

  it('a body over the limit → 413', async () => {
    const { server } = await withRequests();
    const big = JSON.stringify(initializeBody({ padding: 'x'.repeat(300 * 1024) }));
    const answer = await post(`${server.url}/intercom/canvas/initialize`, big);
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe('payload_too_large');
  });

  it('no client secret → 503 intercom_not_configured', async () => {
    const server = await start({ clientSecret: () => null });
    const answer = await post(`${server.url}/intercom/canvas/initialize`, body);
    expect(answer.status).toBe(503);
    expect(answer.body.error.code).toBe('intercom_not_configured');
  });

  it('GET → 405 with Allow: POST', async () => {
    const { server } = await withRequests();
    const response = await fetch(`${server.url}/intercom/canvas/initialize`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});
