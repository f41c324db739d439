// Canvases that are not about one approval: workspace not connected, no conversation, request not
// found, and the generic failure with Try again.
import { ENGLISH_WORDS, type CanvasWords } from '../i18n/canvas-words';
import type { CanvasObject } from '../schema/canvas';
import type { Component } from '../schema/components';
import { BACK_ID, REFRESH_ID, approvalComponentId } from './component-ids';
import { header, submitButton, text, urlButton } from './components';
import { canvasState } from './stored-data';
import { escapeMarkdown, plainText } from './untrusted-text';

/** The signed Intercom workspace is linked to no Countersign workspace. */
export function notConnectedCanvas(installUrl: string, intercomWorkspaceId: string, words: CanvasWords = ENGLISH_WORDS): CanvasObject {
  const components: Component[] = [
    header(words.t('notice.notConnected.title')),
    text(words.t('notice.notConnected.body')),
    text(escapeMarkdown(words.t('notice.notConnected.workspace', { id: plainText(intercomWorkspaceId, 100) })), 'muted'),
    urlButton('connect', words.t('notice.notConnected.connect'), installUrl, 'primary'),
    submitButton(REFRESH_ID, words.t('actions.tryAgain'), 'secondary'),
  ];
  return { content: { components }, stored_data: canvasState('not-connected') };
}

/** The app was opened without a conversation (Intercom sent none). */
export function noConversationCanvas(words: CanvasWords = ENGLISH_WORDS): CanvasObject {
  const components: Component[] = [header(words.t('list.title')), text(words.t('notice.noConversation.body'))];
  return { content: { components }, stored_data: canvasState('no-conversation') };
}

/** The request does not exist in this workspace (or no longer does). */
export function notFoundCanvas(conversationId: string | null, words: CanvasWords = ENGLISH_WORDS): CanvasObject {
  const components: Component[] = [
    header(words.t('notice.notFound.title')),
    text(words.t('notice.notFound.body')),
    submitButton(BACK_ID, words.t('actions.back'), 'link'),
  ];
  return { content: { components }, stored_data: canvasState('not-found', { conversationId }) };
}

/** Something failed on our side; Try again repeats the way in (the request, or the list). */
export function errorCanvas(place: { approvalId?: string | undefined; conversationId?: string | null | undefined } = {}, words: CanvasWords = ENGLISH_WORDS): CanvasObject {
  const retryId = place.approvalId ? approvalComponentId('open', place.approvalId) : REFRESH_ID;
  const components: Component[] = [
    header(words.t('notice.error.title')),
    text(words.t('notice.error.body'), 'error'),
    submitButton(retryId, words.t('actions.tryAgain'), 'primary'),
  ];
  return { content: { components }, stored_data: canvasState('error', place) };
}
