// What middleware learns about a request, kept on res.locals under typed accessors.
import type { Response } from 'express';
import type { Logger } from 'pino';
import type { ApiKeyRecord, WorkspaceRecord } from '../approvals/workspace-records';

export interface Caller {
  key: ApiKeyRecord;
  workspace: WorkspaceRecord;
}

interface Locals {
  requestId: string;
  /** The server's logger; pass `requestId` with anything logged about the request. */
  log: Logger;
  caller?: Caller;
  /** The caller's key prefix, for the access log (kept when the caller is let go during a long wait). */
  keyPrefix?: string;
}

export function locals(res: Response): Locals {
  return res.locals as Locals;
}

export function caller(res: Response): Caller {
  const found = locals(res).caller;
  if (!found) throw new Error('route is missing its authentication middleware');
  return found;
}
