// Validation at the edge with the shared zod schemas; failures carry zod's issues.
import type { z } from 'zod';
import { toErrorIssues, UNREPRESENTABLE_NUMBER, type ErrorIssue } from '@countersign/shared';
import { AppError } from '../approvals/errors';

export function validate<S extends z.ZodType>(schema: S, value: unknown, what = 'request body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = toErrorIssues(result.error.issues);
  const first = issues[0];
  const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  const message = `The ${what} is invalid — ${where}${first?.message ?? 'see issues'}.`;
  // Well-formed but holding numbers JSON cannot carry exactly: the body is understood, its values are
  // not acceptable (422). With anything else wrong too, it is a plain bad request listing every issue.
  if (onlyUnrepresentableNumbers(issues)) throw new AppError('unprocessable', UNREPRESENTABLE_NUMBER, message, { issues });
  throw new AppError('bad_request', 'invalid_request', message, { issues });
}

function onlyUnrepresentableNumbers(issues: ErrorIssue[]): boolean {
  return issues.length > 0 && issues.every((issue) => issue.code === UNREPRESENTABLE_NUMBER);
}

/** A policy document is refused whole with 422 and every issue, and nothing is changed. */
export function validatePolicy<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = toErrorIssues(result.error.issues);
  const first = issues[0];
  const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  throw new AppError('unprocessable', 'invalid_policy', `The policy is invalid — ${where}${first?.message ?? 'see issues'}; nothing was changed.`, { issues });
}
