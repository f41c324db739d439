// What a shortened canvas offers instead of the cut parts: a button to the whole request, or, without
// a link, a line saying the canvas is shortened. And the fixed canvas for a request too large for any.
import type { CanvasObject } from '../schema/canvas';
import type { Component } from '../schema/components';
import type { ApprovalCanvasOptions } from './approval-canvas-options';
import { BACK_ID, fullRequestComponentId } from './component-ids';
import { header, submitButton, text, urlButton } from './components';
import { ENGLISH_WORDS, type CanvasWords } from '../i18n/canvas-words';
import { canvasState, type CanvasView } from './stored-data';

export function fullRequestOffer(approvalId: string, link: string | null, words: CanvasWords = ENGLISH_WORDS): Component[] {
  if (link) return [urlButton(fullRequestComponentId(approvalId), words.t('full.open'), link)];
  return [text(words.t('full.shortened'), 'muted')];
}

/** The last resort of firstFitting: unreachable in practice (every untrusted string is capped), small by construction. */
export function tooLargeCanvas(approvalId: string, options: ApprovalCanvasOptions, view: CanvasView): CanvasObject {
  const words = options.words ?? ENGLISH_WORDS;
  const components: Component[] = [
    header(words.t('full.title')),
    text(words.t('full.tooLarge')),
    ...fullRequestOffer(approvalId, options.link, words),
    submitButton(BACK_ID, words.t('actions.back'), 'link'),
  ];
  return { content: { components }, stored_data: canvasState(view, { approvalId, conversationId: options.conversationId }) };
}
