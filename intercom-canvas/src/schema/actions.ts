// Canvas Kit actions (OpenAPI 2.11 `*_action_component`): what a button, input, list item or image does.
import { z } from 'zod';

/** Sends a submit request with every input value of the canvas. */
export const SubmitAction = z.strictObject({ type: z.literal('submit') });

/** Opens `url` in a new browser tab (Inbox and Messenger). */
export const UrlAction = z.strictObject({ type: z.literal('url'), url: z.string() });

/** Opens `url` as an iframe sheet; Messenger only, so this app never sends it. */
export const SheetAction = z.strictObject({ type: z.literal('sheet'), url: z.string() });

export const Action = z.discriminatedUnion('type', [SheetAction, UrlAction, SubmitAction]);

export type SubmitAction = z.infer<typeof SubmitAction>;
export type UrlAction = z.infer<typeof UrlAction>;
export type SheetAction = z.infer<typeof SheetAction>;
export type Action = z.infer<typeof Action>;
