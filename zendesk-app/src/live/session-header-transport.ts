// Adds the agent's reviewer session to every call as X-Countersign-Reviewer, so Countersign answers
// for this agent (canDecide) rather than for the app's key alone. The queue needs it for its list;
// the calls still travel through Zendesk's proxy, which adds the review key.
import type { Transport } from '@countersign/shared';
import type { ReviewerSessionSource } from './reviewer-session';

export const REVIEWER_SESSION_HEADER = 'X-Countersign-Reviewer';

export function withReviewerSession(transport: Transport, sessions: ReviewerSessionSource): Transport {
  return (request) => {
    const session = sessions.getReviewerSession();
    return transport(session ? { ...request, headers: { ...request.headers, [REVIEWER_SESSION_HEADER]: session } } : request);
  };
}
