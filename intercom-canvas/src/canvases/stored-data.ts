// The state that travels between canvases in `stored_data`. It only says where the teammate was; it is
// never trusted for authorization: every approval is re-read through the backend, scoped to the
// workspace of the signed request.
import { z } from 'zod';

export const CANVAS_VIEWS = [
  'list',
  'empty',
  'detail',
  'reject',
  'edit',
  'decided',
  'conflict',
  'not-found',
  'no-conversation',
  'not-connected',
  'error',
] as const;
export type CanvasView = (typeof CANVAS_VIEWS)[number];

const CanvasStateSchema = z.object({
  v: z.literal(1),
  view: z.enum(CANVAS_VIEWS),
  approvalId: z.string().min(1).max(128).optional(),
  conversationId: z.string().min(1).max(128).optional(),
});

/** What stored_data holds: `{ v: 1, view, approvalId?, conversationId? }`. */
export type CanvasState = z.infer<typeof CanvasStateSchema>;

export interface CanvasPlace {
  approvalId?: string | undefined;
  conversationId?: string | null | undefined;
}

/** stored_data for a view; ids too long to be ours are left out rather than stored. */
export function canvasState(view: CanvasView, place: CanvasPlace = {}): CanvasState {
  const state: CanvasState = { v: 1, view };
  if (place.approvalId && place.approvalId.length <= 128) state.approvalId = place.approvalId;
  if (place.conversationId && place.conversationId.length <= 128) state.conversationId = place.conversationId;
  return state;
}

/** The first candidate that is a state this app wrote, or null. */
export function readCanvasState(candidates: readonly unknown[]): CanvasState | null {
  for (const candidate of candidates) {
    const parsed = CanvasStateSchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
  }
  return null;
}
