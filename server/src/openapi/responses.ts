// The error answers every operation shares, one per status, all with the one error shape.
import { schemaRef } from './schema-components';

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 1 } } };

const ERRORS = {
  400: { name: 'BadRequest', description: 'The request is malformed or invalid; `issues` lists what is wrong (zod issues with paths).' },
  401: { name: 'Unauthorized', description: 'No key, or a key that is unknown, malformed or revoked.' },
  403: { name: 'Forbidden', description: 'The key is valid but its scope (or the reviewer it proves) may not do this.' },
  404: { name: 'NotFound', description: 'No such approval for this key (also for another workspace\'s, or another intake key\'s, and for malformed ids).' },
  409: { name: 'Conflict', description: 'The approval is no longer pending (it carries the approval as it now stands in `approval`), or an Idempotency-Key was reused with a different body.', conflict: true },
  413: { name: 'PayloadTooLarge', description: 'The body is larger than the server accepts (COUNTERSIGN_BODY_LIMIT_KB, 256 KB by default).' },
  415: { name: 'UnsupportedMediaType', description: 'The body is not UTF-8 application/json.' },
  422: { name: 'Unprocessable', description: 'Understood but not acceptable: an unsafe callback URL, a number JSON cannot carry exactly, an invalid policy.' },
  429: { name: 'TooManyRequests', description: 'A rate limit (per key or per address) is spent.', headers: RETRY_AFTER },
  503: { name: 'Unavailable', description: 'The store is busy, unreachable or failing to write, or the instance is shutting down; nothing was changed.', headers: RETRY_AFTER },
} as const;

export type ErrorStatus = keyof typeof ERRORS;

/** components.responses: one entry per error status. */
export function errorResponses(): Record<string, unknown> {
  return Object.fromEntries(
    Object.values(ERRORS).map((e) => [
      e.name,
      {
        description: e.description,
        ...('headers' in e ? { headers: e.headers } : {}),
        content: { 'application/json': { schema: schemaRef('conflict' in e ? 'ConflictError' : 'Error') } },
      },
    ]),
  );
}

/** An operation's error answers, as references into components.responses. */
export function errors(...statuses: ErrorStatus[]): Record<string, { $ref: string }> {
  return Object.fromEntries(statuses.map((status) => [String(status), { $ref: `#/components/responses/${ERRORS[status].name}` }]));
}
