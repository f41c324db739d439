// Canvas Kit response objects (OpenAPI 2.11 `content_object`, `canvas_object`, `event`,
// `initialize_response`, `submit_response`), with the documented 64 KB limits enforced.
import { z } from 'zod';
import { Component } from './components';

/** "Max Size is 64KB" for content, content_url and stored_data. Our canvases must stay below it. */
export const CANVAS_PART_MAX_BYTES = 64 * 1024;

/** Bytes of a value as JSON on the wire, the measure the 64 KB limits apply to. */
export function jsonByteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

const belowLimit = (value: unknown) => jsonByteLength(value) < CANVAS_PART_MAX_BYTES;

export const ContentObject = z
  .strictObject({ components: z.array(Component) })
  .refine(belowLimit, { error: `content must stay below ${CANVAS_PART_MAX_BYTES} bytes of JSON` });

export const StoredData = z
  .record(z.string(), z.unknown())
  .refine(belowLimit, { error: `stored_data must stay below ${CANVAS_PART_MAX_BYTES} bytes of JSON` });

export const CanvasObject = z.strictObject({
  content: ContentObject,
  /** Live canvases are Messenger-only; the Inbox app never sends this. */
  content_url: z.string().optional(),
  stored_data: StoredData.optional(),
});

export const CanvasEvent = z.strictObject({ type: z.literal('completed') });

export const InitializeResponse = z.strictObject({ canvas: CanvasObject });

export const SubmitResponse = z.strictObject({
  canvas: CanvasObject,
  card_creation_options: z.record(z.string(), z.unknown()).optional(),
  event: CanvasEvent.optional(),
});

export type ContentObject = z.infer<typeof ContentObject>;
export type CanvasObject = z.infer<typeof CanvasObject>;
export type InitializeResponse = z.infer<typeof InitializeResponse>;
export type SubmitResponse = z.infer<typeof SubmitResponse>;
