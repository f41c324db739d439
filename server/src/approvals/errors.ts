// Errors are values of one type; the HTTP layer maps each kind to a status in one place.
import type { ErrorIssue } from '@countersign/shared';
import type { ApprovalRecord } from './records';

export type ErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'rate_limited'
  | 'unavailable';

export interface AppErrorDetails {
  issues?: ErrorIssue[];
  /** The approval as it now stands, sent with conflicts so the caller can show who decided. */
  approval?: ApprovalRecord;
  headers?: Record<string, string>;
}

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details: AppErrorDetails = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const approvalNotFound = () => new AppError('not_found', 'approval_not_found', 'No approval with that id exists in this workspace.');
