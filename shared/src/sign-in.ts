// Zendesk sign-in for the sidebar (the Zendesk app's review key): the app asks Countersign to start
// Zendesk's OAuth consent, the agent allows it in a window of its own, and the app collects the
// reviewer session Countersign issued once Zendesk vouched for the agent. It then sends the session
// as X-Countersign-Reviewer with every request, until it expires.
import { z } from 'zod';
import { isoTimestamp } from './fields';

export const REVIEWER_SESSION_HEADER = 'X-Countersign-Reviewer';

/** A scheme and host (and port), nothing else: what window.location.origin is for an https page or a local one. */
const ORIGIN = /^(https:\/\/[a-z0-9.-]{1,253}(:\d{1,5})?|http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?)$/i;

/** POST /api/zendesk/sign-in */
export const SignInStartBody = z.strictObject({
  /**
   * The sidebar's own origin. The consent window tells the sidebar there when it is done (a message
   * without any secret); https, or http on this machine.
   */
  origin: z.string().trim().max(300).regex(ORIGIN, { error: 'origin must be an https origin (or http on localhost), like window.location.origin' }),
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
  /** Sent as X-Countersign-Reviewer. */
  token: z.string(),
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
