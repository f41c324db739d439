// The "Intercom inbox" view: the sample conversation with Countersign's notes, the Countersign app in
// the conversation details panel (Canvas Kit, rendered from the JSON Countersign answers), the webhook
// buttons, and the Messenger when an Intercom app id is configured.
import type { WebhookKind } from '../../intercom/intercom-requests';
import { answerFields } from '../api';
import { byTestId } from '../dom';
import { poll } from '../poller';
import { renderConversation, renderConversationNotes, setConversationState } from './conversation-view';
import { createInboxApp, type InboxApp } from './inbox-app';
import { intercomApi, type WebhookAnswer } from './intercom-api';
import { bootMessenger } from './messenger';
import { bindWebhookControls } from './webhook-controls';
import { effectVisible } from './webhook-effects';

const NOTES_POLL_MS = 1500;

/** `onCallbackExpected` refreshes the callback receiver. */
export async function startInboxView({ onCallbackExpected }: { onCallbackExpected: () => void }): Promise<{ app: InboxApp }> {
  const config = await intercomApi.config();
  const { conversation } = config;
  renderConversation(conversation);
  byTestId('intercom-workspace-id').textContent = String(config.workspaceId ?? '');
  byTestId('intercom-admin').textContent = `${config.admin?.name ?? ''}${config.admin?.email ? ` <${config.admin.email}>` : ''}`;

  const notes = poll(() => intercomApi.notes(conversation.id), renderConversationNotes, NOTES_POLL_MS);

  const app = createInboxApp({
    panel: byTestId('canvas-panel'),
    status: byTestId('canvas-status'),
    json: byTestId('canvas-json-body'),
    log: byTestId('canvas-log'),
    onAnswered: (flow) => {
      if (flow === 'submit') {
        onCallbackExpected();
        notes.now();
      }
    },
  });
  byTestId('intercom-open-app').addEventListener('click', () => void app.initialize());

  bindWebhookControls({
    onSending: () => app.renders(),
    onDelivered: (kind, answer, rendersWhenSent) => {
      if (answer.conversationState) setConversationState(answer.conversationState);
      onCallbackExpected();
      notes.now();
      if (answer.status === 200 && answerFields<{ duplicate: boolean }>(answer.body).duplicate === false) void refreshOnceVisible(kind, answer, rendersWhenSent);
    },
  });

  /** Once Countersign has processed the notification, the open app shows its effect (a new request, cancellations). */
  async function refreshOnceVisible(kind: WebhookKind, answer: WebhookAnswer, rendersWhenSent: number): Promise<void> {
    await effectVisible(kind, answer, conversation.id);
    onCallbackExpected();
    // A canvas shown since the click is the teammate's newer choice (or a newer answer): leave it be.
    if (app.renders() === rendersWhenSent) await app.refresh();
  }

  void bootMessenger(config.appId);
  return { app };
}
