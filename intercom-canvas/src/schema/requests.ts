// The bodies Intercom POSTs to the Inbox app's initialize and submit URLs. Loose on purpose: Intercom
// adds fields over time and the OpenAPI file marks Messenger-only ones required, so only what the app
// reads is checked, and fields it reads but does not rely on fall back to nothing when malformed.
import { z } from 'zod';

/** Intercom ids arrive as strings in examples and as numbers in some payloads; both mean the same id. */
const IntercomId = z
  .union([z.string().trim().min(1).max(128), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)])
  .transform((value) => String(value));

const AnyObject = z.record(z.string(), z.unknown());

/** The teammate using the app, as signed by Intercom: the deciding reviewer. */
export const CanvasAdmin = z.looseObject({
  id: IntercomId,
  name: z.string().nullish().catch(undefined),
  email: z.string().nullish().catch(undefined),
  /** Not documented to be in every request (reference/identity-policy-reach.md): absent means "look it up". */
  team_ids: z.array(IntercomId).max(500).nullish().catch(undefined),
});

export const CanvasConversation = z.looseObject({ id: IntercomId });

/**
 * OpenAPI 2.11 `context`: Messenger-oriented, but its `conversation_id` is a fallback for the
 * conversation, and its `locale` (the Messenger's default language) picks the canvas's language.
 */
const CanvasContext = z.looseObject({
  conversation_id: IntercomId.optional().catch(undefined),
  locale: z.string().trim().max(35).optional().catch(undefined),
});

/**
 * The docs show `current_canvas` as a canvas object ({content, stored_data}); the OpenAPI schema wraps
 * it once more ({current_canvas: {content, stored_data}}). Both are read.
 */
const CurrentCanvas = z.looseObject({
  stored_data: AnyObject.nullish().catch(undefined),
  current_canvas: z.looseObject({ stored_data: AnyObject.nullish().catch(undefined) }).nullish().catch(undefined),
});

export const InitializeRequest = z.looseObject({
  workspace_id: z.string().trim().min(1).max(200),
  workspace_region: z.string().nullish().catch(undefined),
  admin: CanvasAdmin,
  /** Absent outside a conversation (and in some test payloads). */
  conversation: CanvasConversation.nullish(),
  contact: AnyObject.nullish().catch(undefined),
  context: CanvasContext.nullish().catch(undefined),
});

export const SubmitRequest = InitializeRequest.extend({
  component_id: z.string().min(1).max(1000),
  input_values: AnyObject.nullish().catch(undefined),
  current_canvas: CurrentCanvas.nullish().catch(undefined),
  /** "stored_data is sent in whatever the next request is": seen at the top level as well. */
  stored_data: AnyObject.nullish().catch(undefined),
});

export type CanvasAdmin = z.infer<typeof CanvasAdmin>;
export type InitializeRequest = z.infer<typeof InitializeRequest>;
export type SubmitRequest = z.infer<typeof SubmitRequest>;

/** The conversation the app is shown for, from `conversation.id` or else `context.conversation_id`. */
export function conversationIdOf(request: InitializeRequest): string | null {
  return request.conversation?.id ?? request.context?.conversation_id ?? null;
}

/** The locale the canvas is worded in, when the request names one. */
export function localeOf(request: InitializeRequest): string | null {
  return request.context?.locale ?? null;
}

/** Every place a submit request may carry the stored_data we sent, most specific first. */
export function storedDataCandidates(request: SubmitRequest): unknown[] {
  return [request.current_canvas?.stored_data, request.current_canvas?.current_canvas?.stored_data, request.stored_data].filter(
    (candidate) => candidate != null,
  );
}
