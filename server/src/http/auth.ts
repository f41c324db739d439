// Key authentication. Automations send `x-api-key`, the Zendesk proxy sends `Authorization: Bearer`;
// either header is read, and the key's scope decides what it may do.
import type { Request, RequestHandler } from 'express';
import { AppError } from '../approvals/errors';
import { hashKey } from '../keys/api-keys';
import type { KeyScope } from '../approvals/workspace-records';
import type { Store } from '../approvals/ports';
import { locals } from './locals';

const MAX_KEY_LENGTH = 256;

const SCOPE_CAN: Record<KeyScope, string> = {
  intake: 'create, read and cancel its own requests',
  review: 'list, read and decide requests',
  admin: 'manage the workspace\'s policy; it never creates or decides requests',
};
const SCOPE_NAME: Record<KeyScope, string> = { intake: 'an intake', review: 'a review', admin: 'an admin' };

export function presentedKey(req: Request): string | null {
  const apiKey = req.get('x-api-key')?.trim();
  if (apiKey) return apiKey;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return match?.[1] ?? null;
}

const invalidKey = () => new AppError('unauthorized', 'invalid_credentials', 'The key is not valid: it is unknown, malformed or revoked.');

export function requireKey(store: Store, ...scopes: KeyScope[]): RequestHandler {
  return async (req, res, next) => {
    const key = presentedKey(req);
    if (!key) throw new AppError('unauthorized', 'missing_credentials', 'Send your key in the x-api-key header, or as Authorization: Bearer <key>.');
    if (key.length > MAX_KEY_LENGTH) throw invalidKey();
    // Looked up by its SHA-256: the stored hash is compared by the index, never the key itself.
    const record = await store.keys.findByHash(hashKey(key));
    if (!record || record.revokedAt !== null) throw invalidKey();
    if (!scopes.includes(record.scope)) {
      throw new AppError('forbidden', 'wrong_key_scope', `This is ${SCOPE_NAME[record.scope]} key; it may only ${SCOPE_CAN[record.scope]}.`);
    }
    const workspace = await store.workspaces.get(record.workspaceId);
    if (!workspace) throw invalidKey();
    Object.assign(locals(res), { caller: { key: record, workspace }, keyPrefix: record.prefix });
    next();
  };
}
