import { describe, expect, it } from 'vitest';
import { sign, signatureHeader, verifySignature } from '@countersign/server/delivery';
import { isCallbackSecret, newCallbackSecret } from '@countersign/server/workspaces';

// The Standard Webhooks specification's published example.
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signing', () => {
  it('reproduces the specification’s example signature', () => {
    expect(sign(SPEC.secret, SPEC.id, SPEC.timestamp, SPEC.body)).toBe(SPEC.signature);
  });

  it('verifies the specification’s example', () => {
    const result = verifySignature(SPEC.secret, { id: SPEC.id, timestamp: String(SPEC.timestamp), signature: SPEC.signature, body: SPEC.body }, SPEC.timestamp);
    expect(result).toEqual({ ok: true });
  });

  it('signs with every secret during a rotation, space-separated, and either secret verifies', () => {
    const next = newCallbackSecret();
    const header = signatureHeader([next, SPEC.secret], SPEC.id, SPEC.timestamp, SPEC.body);
    expect(header.split(' ')).toHaveLength(2);
    expect(header.split(' ')[1]).toBe(SPEC.signature);
    for (const secret of [next, SPEC.secret]) {
      expect(verifySignature(secret, { id: SPEC.id, timestamp: String(SPEC.timestamp), signature: header, body: SPEC.body }, SPEC.timestamp).ok).toBe(true);
    }
  });

  it.each([
    ['a tampered body', { body: '{"test": 2432232315}' }, 'no_matching_signature'],
    ['another id', { id: 'msg_other' }, 'no_matching_signature'],
    ['a missing signature', { signature: '' }, 'missing_headers'],
    ['a wrong version prefix', { signature: SPEC.signature.replace('v1,', 'v2,') }, 'no_matching_signature'],
    ['a truncated signature', { signature: SPEC.signature.slice(0, -4) }, 'no_matching_signature'],
    ['a non-numeric timestamp', { timestamp: '16142653x0' }, 'bad_timestamp'],
    // Found by test/proof/signatures.test.ts: Node's lenient base64 decoder made these decode to the genuine MAC.
    ['a signature with characters appended after the padding', { signature: `${SPEC.signature}AAAA` }, 'no_matching_signature'],
    ['a signature with junk appended', { signature: `${SPEC.signature}!!` }, 'no_matching_signature'],
    ['a signature without its padding', { signature: SPEC.signature.slice(0, -1) }, 'no_matching_signature'],
    ['a signature in the URL-safe alphabet', { signature: SPEC.signature.replace('+', '-').replace('/', '_') }, 'no_matching_signature'],
  ])('refuses %s', (_label, change, reason) => {
    const message = { id: SPEC.id, timestamp: String(SPEC.timestamp), signature: SPEC.signature, body: SPEC.body, ...change };
    expect(verifySignature(SPEC.secret, message, SPEC.timestamp)).toEqual({ ok: false, reason });
  });

  it('refuses timestamps outside five minutes either way', () => {
    const message = { id: SPEC.id, timestamp: String(SPEC.timestamp), signature: SPEC.signature, body: SPEC.body };
    expect(verifySignature(SPEC.secret, message, SPEC.timestamp + 301)).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifySignature(SPEC.secret, message, SPEC.timestamp - 301)).toEqual({ ok: false, reason: 'future_timestamp' });
    expect(verifySignature(SPEC.secret, message, SPEC.timestamp + 299).ok).toBe(true);
  });

  it('recognises well-formed secrets', () => {
    expect(isCallbackSecret(newCallbackSecret())).toBe(true);
    expect(isCallbackSecret(SPEC.secret)).toBe(true);
    expect(isCallbackSecret('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBe(false);
    expect(isCallbackSecret('whsec_short')).toBe(false);
  });
});
