// Reading canvases in tests: their components by type, their text, and their size as Intercom sees it.
import type { CanvasObject, Component } from '@countersign/intercom-canvas';

export function componentsOf(canvas: CanvasObject): Component[] {
  return canvas.content.components;
}

export function ofType<T extends Component['type']>(canvas: CanvasObject, type: T): Array<Extract<Component, { type: T }>> {
  return componentsOf(canvas).filter((component): component is Extract<Component, { type: T }> => component.type === type);
}

export function texts(canvas: CanvasObject): string[] {
  return ofType(canvas, 'text').map((component) => component.text);
}

export function buttonIds(canvas: CanvasObject): string[] {
  return ofType(canvas, 'button').map((button) => button.id);
}

export function bytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}
