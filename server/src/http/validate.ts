// Validation at the edge with the shared zod schemas; failures carry zod's issues.
import type { z } from 'zod';
import { toErrorIssues } from '@countersign/shared';
import { AppError } from '../errors';

export function validate<S extends z.ZodType>(schema: S, value: unknown, what = 'request body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = toErrorIssues(result.error.issues);
  const first = issues[0];
  const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  throw new AppError('bad_request', 'invalid_request', `The ${what} is invalid — ${where}${first?.message ?? 'see issues'}.`, { issues });
}
