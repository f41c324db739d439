// The fingerprint that tells a retried request (same Idempotency-Key, same body) from a different one.
import { createHash } from 'node:crypto';

/** Fields that say how to answer, not what is requested; a retry may change them freely. */
const TRANSPORT_FIELDS = new Set(['maxWaitMs']);

export function requestHash(body: Record<string, unknown>): string {
  const content = Object.fromEntries(Object.entries(body).filter(([key]) => !TRANSPORT_FIELDS.has(key)));
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** JSON with object keys sorted, so key order does not make two equal bodies differ. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
