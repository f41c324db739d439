// Keeps every canvas inside Canvas Kit's 64 KB limits: a view is built at its roomiest level first and
// at tighter levels while its JSON is too big; a fixed last resort guarantees an answer that fits.
import { jsonByteLength, type CanvasObject } from '../schema/canvas';

/** Our target, below the 65,536-byte limit, so Intercom's own wrapping never tips a canvas over. */
export const CANVAS_BUDGET_BYTES = 60 * 1024;

export function fitsBudget(canvas: CanvasObject): boolean {
  return jsonByteLength(canvas.content) <= CANVAS_BUDGET_BYTES && jsonByteLength(canvas.stored_data ?? {}) <= CANVAS_BUDGET_BYTES;
}

/** The canvas of the first level that fits, else the last resort (which must be small by construction). */
export function firstFitting<Level>(levels: readonly Level[], build: (level: Level) => CanvasObject, lastResort: () => CanvasObject): CanvasObject {
  for (const level of levels) {
    const canvas = build(level);
    if (fitsBudget(canvas)) return canvas;
  }
  return lastResort();
}
