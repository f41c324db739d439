import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalLink } from '@countersign/server/http';
import { loadSecretKey } from '@countersign/server/secrets';
import { SignedTokens } from '@countersign/server/secrets';
import { seed000Filled } from '../support/seeds';
import { call, startTestServer, type TestServer } from '../support/test-server';

describe('signed links to a whole request', () => {
  let server: TestServer;
  let tokens: SignedTokens;
  let approvalId: string;
  let workspaceId: string;

  beforeAll(async () => {
    server = await startTestServer();
    tokens = new SignedTokens(loadSecretKey(undefined, server.dataDir).key, 'approval-link');
    const { approval } = await server.intake.createApproval({ ...seed000Filled('77', 'https://automation.example/cb'), details: { note: '<script>alert(1)</script>', amount: '12.00' } });
    approvalId = approval.approvalId;
    workspaceId = (await server.app.store.workspaces.findByName('default'))!.id;
  });
  afterAll(() => server.close());

  it('shows the request read-only, with untrusted values escaped', async () => {
    const response = await call(approvalLink(tokens, server.url, workspaceId, approvalId));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toContain('process_refund');
    expect(response.body).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(response.body).not.toContain('<script>alert');
  });

  it('strips bidi controls ("Trojan Source") from everything it shows, and lists the changes', async () => {
    const spoof = '\u2067acct moc.live@\u202Eenaj\u2069\u200f';
    const { approval } = await server.intake.createApproval({
      action: `refund${spoof}`,
      summary: `Summary ${spoof}`,
      justification: `Why ${spoof}`,
      agentName: `Bot ${spoof}`,
      details: { [`email${spoof}`]: spoof, amount: '10.00' },
    });
    await server.review.decide(approval.approvalId, { decision: 'approve', note: `Note ${spoof}`, modifiedDetails: { amount: `12${spoof}` }, reviewer: { id: '1', name: `Sam ${spoof}`, via: 'api' } });
    const response = await call(approvalLink(tokens, server.url, workspaceId, approval.approvalId));
    expect(response.status).toBe(200);
    expect(response.body).toContain('acct moc.live@enaj');
    expect(response.body).toContain('Sam acct moc.live@enaj');
    expect(response.body).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    expect(response.body).toContain('Changed before approval');
    expect(response.body).toContain('amount');
  });

  it.each([
    ['no token', () => `${server.url}/approvals/${approvalId}/view`],
    ['a token for another approval', () => approvalLink(tokens, server.url, workspaceId, 'apr_01m84x93tkdm54a8z5wg55n55k').replace('apr_01m84x93tkdm54a8z5wg55n55k/view', `${approvalId}/view`)],
    ['an expired token', () => approvalLink(tokens, server.url, workspaceId, approvalId, Date.now() - 8 * 24 * 3600 * 1000)],
    ['a token signed with another key', () => approvalLink(new SignedTokens(Buffer.alloc(32, 7), 'approval-link'), server.url, workspaceId, approvalId)],
    ['a token minted for another purpose', () => approvalLink(new SignedTokens(loadSecretKey(undefined, server.dataDir).key, 'intercom-oauth-state'), server.url, workspaceId, approvalId)],
  ])('answers 404 for %s', async (_name, url) => {
    const response = await call(url());
    expect(response.status).toBe(404);
    expect(JSON.stringify(response.body)).not.toContain('12.00');
  });
});
