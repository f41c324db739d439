// The seam between the live stream and the Zendesk sign-in. Whoever holds the agent's reviewer
// session (the token Countersign issues once Zendesk has vouched for the agent) offers it here: the
// stream puts it in its URL, because a browser EventSource cannot send headers.
export interface ReviewerSessionSource {
  /** The agent's current reviewer session token, or null (not signed in yet, or expired). */
  getReviewerSession(): string | null;
  /** Calls `listener` whenever the session may have changed (signed in, renewed, expired, cleared); answers the unsubscribe. */
  onReviewerSessionChange(listener: () => void): () => void;
}

/** No session at all: the app polls, as it did before the stream. */
export const NO_REVIEWER_SESSION: ReviewerSessionSource = {
  getReviewerSession: () => null,
  onReviewerSessionChange: () => () => undefined,
};
