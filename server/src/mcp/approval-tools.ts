// The MCP tools request_approval and get_approval: their input schemas come from the intake schema
// the REST API validates with, and each answer carries text a model can act on. There is no tool
// that decides: an intake key never can.
import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ApprovalView, CountersignApiError, IntakeBody } from '@countersign/shared';
import { AppError } from '../approvals/errors';
import type { ApprovalDesk } from './approval-desk';

/** Below the 60 s most MCP clients (the SDK's own included) give a tool call before they give up. */
export const MCP_MAX_WAIT_SECONDS = 50;
export const MCP_DEFAULT_WAIT_SECONDS = 25;

const { action, summary, details, riskLevel, justification } = IntakeBody.shape;

export const RequestApprovalInput = z.object({
  action: action.describe('What you want to do, as a short verb_noun: process_refund, cancel_subscription, change_plan.'),
  summary: summary.describe('One line for the reviewer: what, for whom, how much ("Refund 49.00 to jane@example.com on ticket #4512").'),
  details: details.describe('The exact parameters you will act with (amounts, ids, emails). A reviewer may edit them: act with what the answer returns.'),
  riskLevel: riskLevel.describe('low, medium (the default), high or critical.'),
  justification: justification.describe('Why you think the action is right; shown to the reviewer.'),
  waitSeconds: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe(`How long to wait for a teammate's decision, in seconds (default ${MCP_DEFAULT_WAIT_SECONDS}, at most ${MCP_MAX_WAIT_SECONDS}; the server may cap it lower). 0 answers at once.`),
});

export const GetApprovalInput = z.object({
  approvalId: ApprovalView.shape.approvalId.describe('The approvalId request_approval answered (apr_…).'),
});

/** What both tools answer, beside the text. */
export const ApprovalAnswer = ApprovalView.pick({ approvalId: true, status: true, action: true, details: true, modifiedDetails: true, decisionNote: true, decidedBy: true, expiresAt: true });
export type ApprovalAnswer = z.infer<typeof ApprovalAnswer>;

const INSTRUCTIONS =
  'Countersign puts a human teammate in front of risky actions. Call request_approval BEFORE a refund, a cancellation, an account change or anything hard to undo, ' +
  'and act only when it answers approved, with the details it returns. Never retry a rejected request to get a different answer.';

export function createMcpServer(desk: ApprovalDesk): McpServer {
  const server = new McpServer({ name: 'countersign', version: '0.1.0' }, { instructions: INSTRUCTIONS });
  server.registerTool(
    'request_approval',
    {
      title: 'Ask a teammate to approve an action',
      description:
        'Ask a human teammate to approve an action before you take it, and wait for the decision. approved: proceed, with exactly the details returned (a reviewer may have edited them). ' +
        'rejected: do not act; explain to the user why (decisionNote). pending: do not act yet; tell the user a teammate will review it, and call get_approval with the approvalId later.',
      inputSchema: RequestApprovalInput,
      outputSchema: ApprovalAnswer,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    ({ waitSeconds, ...input }) => answering(async () => desk.request(input, waitMs(waitSeconds))),
  );
  server.registerTool(
    'get_approval',
    {
      title: 'Check an approval request',
      description: 'The current decision on a request made with request_approval: approved, rejected, pending, expired or cancelled, with what to do next.',
      inputSchema: GetApprovalInput,
      outputSchema: ApprovalAnswer,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    ({ approvalId }) => answering(() => desk.get(approvalId)),
  );
  return server;
}

function waitMs(waitSeconds: number | undefined): number {
  return Math.min(waitSeconds ?? MCP_DEFAULT_WAIT_SECONDS, MCP_MAX_WAIT_SECONDS) * 1000;
}

async function answering(work: () => Promise<ApprovalView>): Promise<CallToolResult> {
  try {
    const answer = ApprovalAnswer.parse(await work());
    return { content: [{ type: 'text', text: answerText(answer) }], structuredContent: answer };
  } catch (error) {
    return { isError: true, content: [{ type: 'text', text: failureText(error) }] };
  }
}

/** What the model should do next, in words. */
export function answerText(a: ApprovalAnswer): string {
  const by = a.decidedBy ? ` by ${a.decidedBy.name}` : '';
  const note = a.decisionNote ? ` Reviewer's note: ${JSON.stringify(a.decisionNote)}.` : '';
  const ref = `(approvalId ${a.approvalId})`;
  switch (a.status) {
    case 'approved': {
      const edited = a.modifiedDetails ? ', as the reviewer edited them' : '';
      return `APPROVED${by} ${ref}. Proceed with ${a.action} using exactly these details${edited}: ${JSON.stringify(a.modifiedDetails ?? a.details)}.${note}`;
    }
    case 'rejected':
      return `REJECTED${by} ${ref}. Do not ${a.action}.${note || ' No reason was given.'} Explain to the user that a teammate declined this${a.decisionNote ? ', and why' : ''}.`;
    case 'pending':
      return `PENDING ${ref}: no teammate has decided yet. Do not ${a.action} now. Tell the user a teammate will review the request, then call get_approval with approvalId "${a.approvalId}" later (it expires at ${a.expiresAt}).`;
    case 'expired':
      return `EXPIRED ${ref}: nobody decided in time.${note} Do not ${a.action}; if it is still needed, ask again with request_approval.`;
    case 'cancelled':
      return `CANCELLED ${ref}: the request was withdrawn.${note} Do not ${a.action}.`;
  }
}

/** Countersign's own refusals are told as they are; anything else without its internals. */
function failureText(error: unknown): string {
  if (error instanceof AppError || error instanceof CountersignApiError) return `Countersign refused the call (${error.code}): ${error.message}`;
  return 'Countersign could not be reached or failed; nothing was decided. Try again in a moment.';
}
