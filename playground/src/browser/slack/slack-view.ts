// The Slack tab: the fake Slack channel Countersign posts to, drawn from the real Block Kit the outbox
// sent (and updated), with its buttons live. A click is sent by the playground server to
// POST /slack/interactions, signed as Slack would sign it, as the user chosen here; a modal Countersign
// opens appears over the channel, and its submission goes the same way. Messages only the clicking
// user may see (Countersign's ephemeral explanations) are listed under the channel.
import { call, messageOf, post } from '../api';
import { byTestId, h } from '../dom';
import { poll } from '../poller';
import { showToast } from '../toasts';
import type { SlackTabAnswer, SlackTabMessage, SlackTabState, SlackTabView } from '../../slack/slack-tab-state';
import { readValues, renderBlocks } from './block-kit';

const STATE_POLL_MS = 1000;

export function startSlackView(): void {
  let state: SlackTabState | null = null;
  const user = byTestId('slack-user') as HTMLSelectElement;
  const names = (id: string) => state?.users.find((u) => u.id === id)?.name ?? id;

  const render = (next: SlackTabState) => {
    state = next;
    if (user.options.length === 0) for (const u of next.users) user.append(h('option', { text: `${u.name}${u.guest ? ' (guest)' : ''}`, attrs: { value: u.id } }));
    byTestId('slack-channel-name').textContent = `#${next.channel.name}`;
    renderChannel(next.messages);
    renderEphemerals(next);
    renderModal(next.view);
  };
  const poller = poll(() => call<SlackTabState>('/playground/api/slack/state'), render, STATE_POLL_MS);

  const renderChannel = (messages: SlackTabMessage[]) => {
    const list = byTestId('slack-messages');
    byTestId('slack-empty').hidden = messages.length > 0;
    list.replaceChildren(...messages.slice().reverse().map((message) => h('li', { className: 'slack-message', testId: 'slack-message', data: { ts: message.ts, updates: String(message.updates) } }, [
      h('div', { className: 'slack-author' }, [h('strong', { text: 'Countersign' }), h('span', { className: 'muted', text: ` APP ${new Date(message.postedAt).toLocaleTimeString()}${message.updates > 0 ? ' (edited)' : ''}` })]),
      renderBlocks(message.blocks, { names, onButton: (actionId) => void clickButton(message.ts, actionId) }),
      message.replies.length > 0 ? h('ol', { className: 'slack-thread', testId: 'slack-thread' }, message.replies.map((reply) => h('li', { className: 'slack-reply', testId: 'slack-reply' }, [renderBlocks(reply.blocks, { names })]))) : null,
    ])));
  };

  const renderEphemerals = (next: SlackTabState) => {
    const mine = next.ephemerals.filter((e) => e.user === user.value).slice().reverse();
    byTestId('slack-ephemerals').replaceChildren(...mine.map((e) => h('li', { className: 'slack-ephemeral', testId: 'slack-ephemeral', text: e.text })));
  };

  /** Draws the open modal; one already shown is left alone, with what was typed in it. */
  const renderModal = (view: SlackTabView | null) => {
    const overlay = byTestId('slack-modal');
    overlay.hidden = view === null;
    if (!view) return overlay.replaceChildren();
    if (overlay.querySelector<HTMLElement>('[data-testid=slack-dialog]')?.dataset.viewId === view.id) return;
    const body = renderBlocks((view.view.blocks as unknown[]) ?? [], { names });
    const title = (view.view.title as { text?: string } | undefined)?.text ?? '';
    const submitLabel = (view.view.submit as { text?: string } | undefined)?.text ?? 'Submit';
    const submitButton = h('button', { className: 'slack-button slack-button-primary', testId: 'slack-modal-submit', text: submitLabel, attrs: { type: 'button' } });
    const closeButton = h('button', { className: 'slack-button', testId: 'slack-modal-close', text: 'Cancel', attrs: { type: 'button' } });
    const dialog = h('div', { className: 'slack-dialog', testId: 'slack-dialog', data: { viewId: view.id, callbackId: String(view.view.callback_id ?? '') }, attrs: { role: 'dialog', 'aria-label': title } }, [
      h('div', { className: 'slack-dialog-title', text: title }),
      body,
      h('div', { className: 'slack-dialog-buttons' }, [closeButton, submitButton]),
    ]);
    submitButton.addEventListener('click', () => void submitModal(view, readValues(body)));
    closeButton.addEventListener('click', () => void post('/playground/api/slack/views/' + encodeURIComponent(view.id) + '/close', {}).finally(() => poller.now()));
    overlay.replaceChildren(dialog);
  };

  /** Countersign's problems with a submission, under the inputs they concern (what was typed stays). */
  const showErrors = (errors: Record<string, string>) => {
    for (const field of byTestId('slack-modal').querySelectorAll<HTMLElement>('[data-testid=slack-input]')) {
      field.querySelector('[data-testid=slack-input-error]')?.remove();
      const problem = errors[field.dataset.blockId ?? ''];
      if (problem) field.append(h('div', { className: 'slack-error', testId: 'slack-input-error', text: problem }));
    }
  };

  const clickButton = async (ts: string, actionId: string) => {
    try {
      const answer = await post<SlackTabAnswer>('/playground/api/slack/click', { ts, actionId, userId: user.value });
      if (answer.status !== 200) showToast(`Countersign answered the click with HTTP ${answer.status}.`, 'error');
    } catch (error) {
      showToast(messageOf(error), 'error');
    }
    // Countersign acts after answering Slack: look a few times for what it did.
    for (const delay of [150, 500, 1200]) setTimeout(() => poller.now(), delay);
  };

  const submitModal = async (view: SlackTabView, values: ReturnType<typeof readValues>) => {
    try {
      const answer = await post<SlackTabAnswer>('/playground/api/slack/submit', { viewId: view.id, values });
      if (answer.errors) showErrors(answer.errors);
    } catch (error) {
      showToast(messageOf(error), 'error');
    }
    for (const delay of [0, 300, 1000]) setTimeout(() => poller.now(), delay);
  };

  user.addEventListener('change', () => state && renderEphemerals(state));
  byTestId('slack-post-request').addEventListener('click', () => {
    void post('/playground/api/seeds/refund', {}).then(() => poller.now(), (error: unknown) => showToast(messageOf(error), 'error'));
  });
}
