// X-Body-Signature: hex HMAC-SHA256 of the body with the client secret, raw bytes or re-serialised JSON.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signCanvasBody, verifyCanvasSignature } from '@countersign/intercom-canvas';

const SECRET = 'intercom-client-secret';
// Spaced as a client might send it: JSON.stringify(JSON.parse(RAW)) differs from RAW.
const RAW = '{ "workspace_id": "abcd123", "admin": { "id": "1" } }';
const body = Buffer.from(RAW);

describe('Canvas Kit signatures', () => {
  it('signs as hex HMAC-SHA256 of the body with the secret', () => {
    expect(signCanvasBody(SECRET, RAW)).toBe(createHmac('sha256', SECRET).update(RAW).digest('hex'));
    expect(signCanvasBody(SECRET, RAW)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts a signature over the raw bytes, in upper case, with surrounding whitespace', () => {
    expect(verifyCanvasSignature(SECRET, signCanvasBody(SECRET, body), body)).toBe(true);
    expect(verifyCanvasSignature(SECRET, signCanvasBody(SECRET, body).toUpperCase(), body)).toBe(true);
    expect(verifyCanvasSignature(SECRET, ` ${signCanvasBody(SECRET, body)}\t`, body)).toBe(true);
  });

  it('accepts a signature over the re-serialised JSON (the docs leave the signed bytes open)', () => {
    const reserialised = JSON.stringify(JSON.parse(RAW));
    expect(reserialised).not.toBe(RAW);
    expect(verifyCanvasSignature(SECRET, signCanvasBody(SECRET, reserialised), body)).toBe(true);
  });

  it.each([
    ['a tampered body', signCanvasBody(SECRET, RAW), Buffer.from(RAW.replace('abcd123', 'abcd124'))],
    ['another secret', signCanvasBody('another-secret', RAW), body],
    ['a missing header', undefined, body],
    ['an empty header', '', body],
    ['a truncated signature', signCanvasBody(SECRET, RAW).slice(0, 63), body],
    ['a signature cut to SHA-1 length', signCanvasBody(SECRET, RAW).slice(0, 40), body],
    ['a longer signature', `${signCanvasBody(SECRET, RAW)}00`, body],
    ['non-hex characters', `${signCanvasBody(SECRET, RAW).slice(0, 62)}zz`, body],
    ['a sha256= prefix', `sha256=${signCanvasBody(SECRET, RAW)}`, body],
    ['base64 instead of hex', createHmac('sha256', SECRET).update(RAW).digest('base64'), body],
    ['an HMAC-SHA1', createHmac('sha1', SECRET).update(RAW).digest('hex'), body],
  ])('refuses %s', (_name, header, signed) => {
    expect(verifyCanvasSignature(SECRET, header, signed)).toBe(false);
  });

  it('refuses a re-serialised-JSON signature when the body is not JSON', () => {
    const notJson = Buffer.from('{"a":1');
    expect(verifyCanvasSignature(SECRET, signCanvasBody(SECRET, '{"a":1}'), notJson)).toBe(false);
  });
});
