// Numbers JSON cannot carry: 1e400 parses to Infinity (and would be stored as null), integers beyond
// 2^53 − 1 silently lose digits. Wherever a caller's JSON object is accepted they are refused with
// 422 unrepresentable_number, naming each offending value's path, and nothing is stored or changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '@countersign/shared';
import { seed001Sample } from '../support/seeds';
import { call, INTAKE_KEY, REVIEW_KEY, reviewer, startTestServer, type TestServer } from '../support/test-server';

describe('numbers JSON cannot carry', () => {
  let server: TestServer;
  let workspaceId: string;

  beforeAll(async () => {
    server = await startTestServer();
    workspaceId = (await server.app.store.workspaces.findByName('default'))!.id;
  });
  afterAll(() => server.close());

  const post = (path: string, headers: Record<string, string>, body: string) => call(`${server.url}${path}`, { headers: { ...headers, 'content-type': 'application/json' }, body });
  const intake = (body: string) => post('/api/webhooks/inbound', { 'x-api-key': INTAKE_KEY }, body);
  const stored = async () => (await server.app.store.approvals.list(workspaceId, {}, 100)).length;

  function expectRefusal(response: { status: number; body: unknown }, paths: Array<Array<string | number>>) {
    expect(response.status, JSON.stringify(response.body)).toBe(422);
    const { error } = ErrorBody.parse(response.body);
    expect(error.code).toBe('unrepresentable_number');
    expect(error.message).toContain('send it as a string');
    expect(error.issues.map((issue) => issue.path)).toEqual(paths);
    expect(error.issues.every((issue) => issue.code === 'unrepresentable_number')).toBe(true);
  }

  it.each([
    ['1e400', '{"amount":1e400}', [['details', 'amount']]],
    ['-1e400', '{"amount":-1e400}', [['details', 'amount']]],
    ['an integer above 2^53', '{"orderId":9007199254740993}', [['details', 'orderId']]],
    ['99999999999999999999 deep in an array', '{"lines":[{"qty":1},{"qty":99999999999999999999}]}', [['details', 'lines', 1, 'qty']]],
    ['two of them', '{"a":1e999,"b":{"c":-18014398509481984}}', [['details', 'a'], ['details', 'b', 'c']]],
  ])('refuses %s in intake details with 422 and stores nothing', async (_label, details, paths) => {
    const before = await stored();
    expectRefusal(await intake(`{"action":"refund","summary":"s","details":${details}}`), paths);
    expect(await stored()).toBe(before);
  });

  it('refuses them in metadata too', async () => {
    const before = await stored();
    expectRefusal(await intake('{"action":"refund","summary":"s","details":{},"metadata":{"trace":12345678901234567890}}'), [['metadata', 'trace']]);
    expect(await stored()).toBe(before);
  });

  it('accepts the largest safe integer, ordinary fractions and the same digits as a string', async () => {
    const ok = await intake(`{"action":"refund","summary":"s","details":{"max":9007199254740991,"min":-9007199254740991,"f":0.1,"big":"99999999999999999999"}}`);
    expect(ok.status).toBe(201);
    expect(ok.body.details).toEqual({ max: Number.MAX_SAFE_INTEGER, min: -Number.MAX_SAFE_INTEGER, f: 0.1, big: '99999999999999999999' });
  });

  it('refuses them in a decision’s modifiedDetails, and the approval stays pending and unchanged', async () => {
    const { approval } = await server.intake.createApproval(seed001Sample);
    const before = await server.app.store.approvals.get(workspaceId, approval.approvalId);
    const refused = await post(`/api/approvals/${approval.approvalId}/decision`, { authorization: `Bearer ${REVIEW_KEY}` }, `{"decision":"approve","reviewer":${JSON.stringify(reviewer)},"modifiedDetails":{"refund":1e400}}`);
    expectRefusal(refused, [['modifiedDetails', 'refund']]);
    expect(await server.app.store.approvals.get(workspaceId, approval.approvalId)).toEqual(before);
    expect((await server.intake.listEvents(approval.approvalId)).items.map((e) => e.type)).toEqual(['approval.created']);
  });

  it('answers 400 invalid_request, listing every issue, when other fields are wrong as well', async () => {
    const response = await intake('{"summary":"s","details":{"n":1e400}}');
    expect(response.status).toBe(400);
    const { error } = ErrorBody.parse(response.body);
    expect(error.code).toBe('invalid_request');
    expect(error.issues.map((issue) => issue.code).sort()).toEqual(['invalid_type', 'unrepresentable_number']);
  });
});
