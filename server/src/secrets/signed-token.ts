// Short, expiring values signed with a key derived from the secret key: the OAuth state cookie and the
// links that show a whole request. Verified in constant time; a tampered or expired token is refused.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

export class SignedTokens {
  private readonly key: Buffer;

  constructor(secretKey: Buffer, purpose: string) {
    // A separate key per purpose: a token minted for one use is never valid for another.
    this.key = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), `countersign:${purpose}`, 32));
  }

  sign(payload: string, expiresAt: number): string {
    const body = `${Buffer.from(payload).toString('base64url')}.${expiresAt.toString(36)}`;
    return `${body}.${this.mac(body)}`;
  }

  /** The payload when the token is genuine and unexpired, else null. */
  verify(token: string | undefined, now = Date.now()): string | null {
    const parts = token?.split('.') ?? [];
    if (parts.length !== 3) return null;
    const [payload, expires, mac] = parts as [string, string, string];
    const expected = Buffer.from(this.mac(`${payload}.${expires}`));
    const presented = Buffer.from(mac);
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return null;
    if (!(parseInt(expires, 36) > now)) return null;
    return Buffer.from(payload, 'base64url').toString('utf8');
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
