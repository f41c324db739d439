// The check every built canvas must pass: Intercom's response schemas (ours, drift-tested) and the
// 64 KB limits, measured as Intercom receives them.
import { expect } from 'vitest';
import { InitializeResponse, SubmitResponse, type CanvasObject } from '@countersign/intercom-canvas';
import { bytes } from './canvas-json';

export function expectValidCanvas(canvas: CanvasObject): CanvasObject {
  const initialize = InitializeResponse.safeParse({ canvas });
  expect(initialize.success, initialize.error?.message).toBe(true);
  expect(SubmitResponse.safeParse({ canvas }).success).toBe(true);
  expect(bytes(canvas.content)).toBeLessThan(64 * 1024);
  expect(bytes(canvas.stored_data ?? {})).toBeLessThan(64 * 1024);
  // A submit names the clicked component by id, and input_values are keyed by id: they must be unique.
  const ids = canvas.content.components.flatMap((component) => [
    ...('id' in component && component.id !== undefined ? [component.id] : []),
    ...(component.type === 'list' ? component.items.map((item) => item.id) : []),
  ]);
  expect(new Set(ids).size).toBe(ids.length);
  return canvas;
}
