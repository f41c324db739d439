// An OAuth install's state in a signed, short-lived, HttpOnly cookie scoped to the install's paths:
// the random state goes to the provider in the redirect and must come back unchanged with the code
// (compared in constant time), and the cookie can carry what the install is for (signed with it).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { SignedTokens } from '../secrets/signed-token';

const STATE_TTL_MS = 10 * 60 * 1000;

export class OAuthStateCookie {
  constructor(
    private readonly name: string,
    private readonly path: string,
    private readonly tokens: SignedTokens,
  ) {}

  /** Sets the cookie; returns the state to send to the provider. */
  issue(res: Response, context: string, secure: boolean): string {
    const state = randomBytes(24).toString('base64url');
    res.cookie(this.name, this.tokens.sign(JSON.stringify({ state, context }), Date.now() + STATE_TTL_MS), {
      httpOnly: true, sameSite: 'lax', path: this.path, maxAge: STATE_TTL_MS, secure,
    });
    return state;
  }

  clear(res: Response): void {
    res.clearCookie(this.name, { path: this.path });
  }

  /** The context signed with the state, when the cookie is genuine and unexpired and `presented` is its state; else null. */
  read(req: Request, presented: string | undefined): string | null {
    const payload = this.tokens.verify(cookieValue(req.get('cookie'), this.name));
    if (payload === null || !presented) return null;
    const { state, context } = parsed(payload);
    if (typeof state !== 'string' || typeof context !== 'string') return null;
    const a = Buffer.from(state);
    const b = Buffer.from(presented);
    return a.length === b.length && timingSafeEqual(a, b) ? context : null;
  }
}

/** A genuine cookie from before this format (the bare state) reads as no state, never as an error. */
function parsed(payload: string): { state?: unknown; context?: unknown } {
  try {
    const value = JSON.parse(payload) as unknown;
    return typeof value === 'object' && value !== null ? value : {};
  } catch {
    return {};
  }
}

/** The named cookie; a value that is not valid percent-encoding counts as absent (the browser never sends one). */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}
