// Canvases that are not about one approval: workspace not connected, no conversation, request not
// found, and the generic failure with Try again.
import type { CanvasObject } from '../schema/canvas';
import type { Component } from '../schema/components';
import { BACK_ID, REFRESH_ID, approvalComponentId } from './component-ids';
import { header, submitButton, text, urlButton } from './components';
import { canvasState } from './stored-data';
import { escapeMarkdown, plainText } from './untrusted-text';

/** The signed Intercom workspace is linked to no Countersign workspace. */
export function notConnectedCanvas(installUrl: string, intercomWorkspaceId: string): CanvasObject {
  const components: Component[] = [
    header('Countersign is not connected'),
    text('Ask your Countersign admin to connect this Intercom workspace. Once connected, the approval requests of this conversation show up here.'),
    text(escapeMarkdown(`Intercom workspace: ${plainText(intercomWorkspaceId, 100)}`), 'muted'),
    urlButton('connect', 'Connect Countersign', installUrl, 'primary'),
    submitButton(REFRESH_ID, 'Try again', 'secondary'),
  ];
  return { content: { components }, stored_data: canvasState('not-connected') };
}

/** The app was opened without a conversation (Intercom sent none). */
export function noConversationCanvas(): CanvasObject {
  const components: Component[] = [
    header('Approval requests'),
    text('Open a conversation to see the approval requests waiting in it.'),
  ];
  return { content: { components }, stored_data: canvasState('no-conversation') };
}

/** The request does not exist in this workspace (or no longer does). */
export function notFoundCanvas(conversationId: string | null): CanvasObject {
  const components: Component[] = [
    header('Request not found'),
    text('This approval request does not exist in this workspace.'),
    submitButton(BACK_ID, 'Back', 'link'),
  ];
  return { content: { components }, stored_data: canvasState('not-found', { conversationId }) };
}

/** Something failed on our side; Try again repeats the way in (the request, or the list). */
export function errorCanvas(place: { approvalId?: string | undefined; conversationId?: string | null | undefined } = {}): CanvasObject {
  const retryId = place.approvalId ? approvalComponentId('open', place.approvalId) : REFRESH_ID;
  const components: Component[] = [
    header('Something went wrong'),
    text('Countersign could not complete this. Try again to see the current state of the request.', 'error'),
    submitButton(retryId, 'Try again', 'primary'),
  ];
  return { content: { components }, stored_data: canvasState('error', place) };
}
