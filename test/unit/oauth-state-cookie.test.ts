// The OAuth installs' state cookie (Intercom's and Slack's): what comes back with the code must be the
// state this browser was given, in a cookie this server signed and that has not expired.
import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { OAuthStateCookie } from '@countersign/server/http';
import { SignedTokens } from '@countersign/server/secrets';

const tokens = new SignedTokens(Buffer.alloc(32, 3), 'oauth-state');
const cookie = new OAuthStateCookie('cs_test_oauth', '/test/oauth', tokens);

/** Issues a cookie as the start route would; answers the state and the Cookie header the browser sends back. */
function issued(context: string): { state: string; header: string } {
  let value = '';
  const res = { cookie: (_name: string, v: string) => void (value = v) } as unknown as Response;
  const state = cookie.issue(res, context, false);
  return { state, header: `other=1; cs_test_oauth=${encodeURIComponent(value)}` };
}
const request = (header: string | undefined) => ({ get: (name: string) => (name === 'cookie' ? header : undefined) }) as unknown as Request;

describe('OAuth state cookie', () => {
  it('gives back the context when the state that came back is the one issued', () => {
    const { state, header } = issued('{"workspaceId":"ws_1"}');
    expect(cookie.read(request(header), state)).toBe('{"workspaceId":"ws_1"}');
  });

  it.each([
    ['another state', (h: string) => ({ header: h, state: 'x'.repeat(32) })],
    ['no state', (h: string) => ({ header: h, state: undefined })],
    ['no cookie', () => ({ header: undefined, state: 'x' })],
    ['a cookie signed with another key', () => {
      const other = new OAuthStateCookie('cs_test_oauth', '/test/oauth', new SignedTokens(Buffer.alloc(32, 9), 'oauth-state'));
      let value = '';
      const state = other.issue({ cookie: (_n: string, v: string) => void (value = v) } as unknown as Response, 'c', false);
      return { header: `cs_test_oauth=${encodeURIComponent(value)}`, state };
    }],
    ['a genuine cookie of the old format (the bare state)', () => ({ header: `cs_test_oauth=${encodeURIComponent(tokens.sign('bare-state', Date.now() + 60_000))}`, state: 'bare-state' })],
    ['a cookie that is not percent-encoding', () => ({ header: 'cs_test_oauth=%E0%A4%A', state: 'x' })],
  ])('refuses %s, without throwing', (_name, make) => {
    const { header } = issued('c');
    const { header: sent, state } = make(header);
    expect(cookie.read(request(sent), state)).toBeNull();
  });
});
