// The ZAF transport turns whatever Zendesk's proxy resolves or rejects with into the status and body
// CountersignClient expects, so non-2xx answers become CountersignApiError.
import { describe, expect, test, vi } from 'vitest';
import { CountersignApiError, CountersignClient } from '@countersign/shared';
import { REVIEW_KEY_HEADER, zafTransport } from '../../zendesk-app/src/zaf/zaf-transport';
import type { ZafClient } from '../../zendesk-app/src/zaf/zaf-client';
import { approval } from './support/fake-countersign';

function clientAnswering(request: ZafClient['request']): ZafClient & { request: ReturnType<typeof vi.fn> } {
  return { get: vi.fn(), on: vi.fn(), invoke: vi.fn(), request: vi.fn(request) };
}

const BASE = 'https://countersign.test/';
const page = { items: [approval()], nextCursor: null };

describe('zafTransport', () => {
  test('sends each call through the proxy with the secure key placeholder', async () => {
    const client = clientAnswering(async () => ({ status: 200, responseText: JSON.stringify(page), responseJSON: page }));
    await zafTransport(client, BASE)({ method: 'POST', path: '/api/approvals/a1/decision', audience: 'review', headers: { 'idempotency-key': 'k1' }, body: '{"decision":"approve"}' });
    expect(client.request).toHaveBeenCalledWith({
      url: 'https://countersign.test/api/approvals/a1/decision',
      type: 'POST',
      contentType: 'application/json',
      data: '{"decision":"approve"}',
      headers: { 'idempotency-key': 'k1', Authorization: REVIEW_KEY_HEADER },
      secure: true,
      cors: false,
      httpCompleteResponse: true,
      timeout: 30000,
    });
    expect(REVIEW_KEY_HEADER).toBe('Bearer {{setting.review_key}}');
  });

  test('adds the agent\'s reviewer session as X-Countersign-Reviewer while there is one, read at each call', async () => {
    const client = clientAnswering(async () => ({ status: 200, responseJSON: page, responseText: '' }));
    let session: string | null = null;
    const send = zafTransport(client, BASE, () => session);
    await send({ method: 'GET', path: '/api/approvals', audience: 'review', headers: {} });
    session = 'signed.session.value';
    await send({ method: 'GET', path: '/api/approvals', audience: 'review', headers: {} });
    expect(client.request.mock.calls.map(([options]) => options.headers)).toEqual([
      { Authorization: REVIEW_KEY_HEADER },
      { 'X-Countersign-Reviewer': 'signed.session.value', Authorization: REVIEW_KEY_HEADER },
    ]);
  });

  test.each([
    ['a complete response with responseJSON', { status: 200, responseJSON: page, responseText: 'ignored', headers: { 'X-Request-Id': 'r1' } }],
    ['a complete response with text only', { status: 200, responseText: JSON.stringify(page), headers: 'x-request-id: r1\r\ncontent-type: application/json' }],
    ['a bare parsed body', page],
    ['a bare JSON string', JSON.stringify(page)],
  ])('resolves %s', async (_label, resolved) => {
    const response = await zafTransport(clientAnswering(async () => resolved), BASE)({ method: 'GET', path: '/api/approvals', audience: 'review', headers: {} });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(page);
    if (typeof resolved === 'object' && 'headers' in resolved) expect(response.header('x-request-id')).toBe('r1');
  });

  test.each([
    ['a jQuery-like rejection with responseJSON', { status: 409, statusText: 'Conflict', responseText: '…', responseJSON: { error: { code: 'already_decided', message: 'Too late.', issues: [] } } }, 409, 'Too late.'],
    ['a rejection with responseText only', { status: 401, statusText: 'Unauthorized', responseText: JSON.stringify({ error: { code: 'unauthorized', message: 'Bad key.', issues: [] } }) }, 401, 'Bad key.'],
    ['a rejection with a non-JSON body', { status: 502, statusText: 'Bad Gateway', responseText: '<html>bad gateway</html>' }, 502, 'Countersign answered HTTP 502'],
    ['a network failure (status 0)', { status: 0, statusText: 'error', responseText: '' }, 0, 'Countersign answered HTTP 0'],
    ['a thrown Error', new Error('socket hang up'), 0, 'Countersign answered HTTP 0'],
    ['a bare status', { status: 404 }, 404, 'Countersign answered HTTP 404'],
  ])('turns %s into CountersignApiError', async (_label, rejection, status, message) => {
    const api = new CountersignClient(zafTransport(clientAnswering(() => Promise.reject(rejection)), BASE));
    const error = await api.listApprovals({ ticketId: '1' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CountersignApiError);
    expect((error as CountersignApiError).status).toBe(status);
    expect((error as CountersignApiError).message).toBe(message);
  });

  test('a 409 carries the approval as it now stands', async () => {
    const decided = approval({ status: 'approved', decidedBy: { id: '9', name: 'Sam', via: 'zendesk' }, decidedAt: '2026-11-23T11:00:00.000Z' });
    const body = { error: { code: 'already_decided', message: 'Already decided.', issues: [] }, approval: decided };
    const api = new CountersignClient(zafTransport(clientAnswering(() => Promise.reject({ status: 409, responseJSON: body, responseText: JSON.stringify(body) })), BASE));
    const error = (await api.decide(decided.approvalId, { decision: 'approve', reviewer: { id: '1', name: 'A', via: 'zendesk' } }).catch((caught: unknown) => caught)) as CountersignApiError;
    expect(error.approval?.decidedBy?.name).toBe('Sam');
  });

  test('a non-2xx status resolved by a lenient host still counts as a failure', async () => {
    const api = new CountersignClient(zafTransport(clientAnswering(async () => ({ status: 503, statusText: 'Unavailable', responseText: '' })), BASE));
    await expect(api.listApprovals()).rejects.toMatchObject({ status: 503 });
  });
});
