// What the MCP tools need of Countersign, whichever side of HTTP they run on: inside the server
// (POST /mcp, ./service-desk.ts) or in a separate process talking to it with the typed client (stdio).
import type { ApprovalView, CountersignClient, IntakeInput } from '@countersign/shared';

export interface ApprovalDesk {
  /** Creates the request as the caller's intake key, then holds on up to `waitMs` for a decision. */
  request(input: IntakeInput, waitMs: number): Promise<ApprovalView>;
  /** One of the caller's own requests, as it stands. */
  get(approvalId: string): Promise<ApprovalView>;
}

/** The desk of `npm run mcp`: Countersign over HTTP, with an intake key (the server caps the wait). */
export function clientDesk(client: CountersignClient): ApprovalDesk {
  return {
    request: async (input, waitMs) => (await client.createApproval({ ...input, maxWaitMs: waitMs })).approval,
    get: (approvalId) => client.getApproval(approvalId),
  };
}
