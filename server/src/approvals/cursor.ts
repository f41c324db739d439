// Opaque list cursors: the position of the last item served, newest-first order.
import { AppError } from './errors';
import { isApprovalId } from './ids';
import type { PagePosition } from './ports';

export function encodeCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): PagePosition {
  const invalid = new AppError('bad_request', 'invalid_cursor', 'The cursor is not one this server issued; start again without it.');
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw invalid;
  const [createdAt, id] = decoded as [unknown, unknown];
  if (!Number.isSafeInteger(createdAt) || (createdAt as number) < 0 || typeof id !== 'string' || !isApprovalId(id)) throw invalid;
  return { createdAt: createdAt as number, id };
}
