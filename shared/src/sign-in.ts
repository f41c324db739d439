// Zendesk sign-in for the sidebar (the Zendesk app's review key): the app asks Countersign to start
// Zendesk's OAuth consent, the agent allows it in a window of its own, and the app collects the
// reviewer session Countersign issued once Zendesk vouched for the agent. It then sends the session
// as X-Countersign-Reviewer with every request, until it expires.
import { z } from 'zod';
import { isoTimestamp } from './fields';

export const REVIEWER_SESSION_HEADER = 'X-Countersign-Reviewer';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A scheme and host (and port), nothing else, as window.location.origin gives it: https, or http on this machine. */
function isPageOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.origin !== value.toLowerCase()) return false;
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  } catch {
    return false;
  }
}

/** POST /api/zendesk/sign-in */
export const SignInStartBody = z.strictObject({
  /**
   * The sidebar's own origin. The consent window tells the sidebar there when it is done (a message
   * without any secret); https, or http on this machine.
   */
  origin: z.string().trim().max(300).refine(isPageOrigin, { error: 'origin must be an https origin (or http on localhost), like window.location.origin' }),
});
export type SignInStartInput = z.input<typeof SignInStartBody>;

export const SignInStart = z.object({
  /** Zendesk's consent page, to open in a window of its own. */
  authorizeUrl: z.string(),
  /** The one-time secret that collects the session; only this answer ever carries it. */
  claimSecret: z.string(),
  /** Until when the agent may finish; afterwards, start again. */
  expiresAt: isoTimestamp,
  /** How often to ask for the session while waiting. */
  pollIntervalMs: z.number().int().positive(),
});
export type SignInStart = z.infer<typeof SignInStart>;

/** POST /api/zendesk/sign-in/claim */
export const SignInClaimBody = z.strictObject({ claimSecret: z.string().min(32).max(128) });
export type SignInClaimInput = z.input<typeof SignInClaimBody>;

/** The agent Zendesk vouched for, as decisions will record them. */
export const SignedInReviewer = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().optional(),
  via: z.literal('zendesk'),
});
export type SignedInReviewer = z.infer<typeof SignedInReviewer>;

export const ReviewerSession = z.object({
  /** What X-Countersign-Reviewer carries. */
  value: z.string(),
  expiresAt: isoTimestamp,
  reviewer: SignedInReviewer,
});
export type ReviewerSession = z.infer<typeof ReviewerSession>;

export const SignInClaim = z.discriminatedUnion('status', [
  /** The agent has not finished in Zendesk yet (or the claim secret is unknown, used or expired). */
  z.object({ status: z.literal('pending') }),
  z.object({ status: z.literal('signed_in'), session: ReviewerSession }),
  /** Zendesk answered, but no session came of it (declined, not an agent, the code refused…): start again. */
  z.object({ status: z.literal('refused'), code: z.string(), message: z.string() }),
]);
export type SignInClaim = z.infer<typeof SignInClaim>;

/** GET /api/zendesk/sign-in: whether the request's X-Countersign-Reviewer is a session Countersign accepts. */
export const SignInStatus = z.object({
  signedIn: z.boolean(),
  reviewer: SignedInReviewer.nullable(),
  expiresAt: isoTimestamp.nullable(),
});
export type SignInStatus = z.infer<typeof SignInStatus>;
