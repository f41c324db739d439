// The one error shape every endpoint answers with.
import { z } from 'zod';
import { ApprovalView } from './approval';

export const ErrorIssue = z.object({
  code: z.string(),
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
});
export type ErrorIssue = z.infer<typeof ErrorIssue>;

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(ErrorIssue),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** A 409 about one approval (a second decision, a cancel too late) carries it as it now stands. */
export const ConflictErrorBody = ErrorBody.extend({ approval: ApprovalView.optional() });
export type ConflictErrorBody = z.infer<typeof ConflictErrorBody>;

/** zod issues as the API reports them: paths as plain strings and numbers; custom checks name their own code. */
export function toErrorIssues(issues: readonly z.core.$ZodIssue[]): ErrorIssue[] {
  return issues.map((issue) => ({
    code: customCode(issue) ?? issue.code,
    path: issue.path.map((part) => (typeof part === 'number' ? part : String(part))),
    message: issue.message,
  }));
}

function customCode(issue: z.core.$ZodIssue): string | null {
  const code = issue.code === 'custom' ? (issue.params as { code?: unknown } | undefined)?.code : undefined;
  return typeof code === 'string' ? code : null;
}
