// What a shortened canvas offers instead of the cut parts: a button to the whole request, or, without
// a link, a line saying the canvas is shortened. And the fixed canvas for a request too large for any.
import type { CanvasObject } from '../schema/canvas';
import type { Component } from '../schema/components';
import type { ApprovalCanvasOptions } from './approval-canvas-options';
import { BACK_ID, fullRequestComponentId } from './component-ids';
import { header, submitButton, text, urlButton } from './components';
import { canvasState, type CanvasView } from './stored-data';

export function fullRequestOffer(approvalId: string, link: string | null): Component[] {
  if (link) return [urlButton(fullRequestComponentId(approvalId), 'Open the full request', link)];
  return [text('Shortened to fit the inbox: long values and extra fields are not shown.', 'muted')];
}

/** The last resort of firstFitting: unreachable in practice (every untrusted string is capped), small by construction. */
export function tooLargeCanvas(approvalId: string, options: ApprovalCanvasOptions, view: CanvasView): CanvasObject {
  const components: Component[] = [
    header('Approval request'),
    text('This request is too large to show here.'),
    ...fullRequestOffer(approvalId, options.link),
    submitButton(BACK_ID, 'Back', 'link'),
  ];
  return { content: { components }, stored_data: canvasState(view, { approvalId, conversationId: options.conversationId }) };
}
