// What a platform in front of intake vouches for about one request: checked on the raw bytes before
// the body is parsed. The Zendesk integration implements it (webhook signatures, invocation ids); the
// intake route only reads the verdict.
import type { WorkspaceRecord } from '../approvals/workspace-records';

export interface IntakeRequestFacts {
  header(name: string): string | undefined;
  rawBody: Buffer;
}

export interface IntakeVerdict {
  /** An idempotency key the platform supplies when the caller sends none (a retried invocation's id). */
  idempotencyKey: string | null;
  /** The platform's signature was seen before: the request may only answer what its first use created. */
  replay: boolean;
}

export interface IntakeVerifier {
  /** The verdict, or an AppError (401) when the workspace requires a signature this request lacks. */
  verify(workspace: WorkspaceRecord, request: IntakeRequestFacts): Promise<IntakeVerdict>;
}
