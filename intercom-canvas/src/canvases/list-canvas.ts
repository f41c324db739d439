// The first canvas: the conversation's pending requests as a list (a click opens one), a count, the
// recently decided ones as a muted line, and Refresh. With nothing pending: the empty canvas.
import type { ApprovalView } from '@countersign/shared';
import type { CanvasObject } from '../schema/canvas';
import type { Component, ListItem } from '../schema/components';
import { ENGLISH_WORDS, type CanvasWords } from '../i18n/canvas-words';
import { riskWord, statusWord } from './approval-facts';
import { REFRESH_ID, approvalComponentId } from './component-ids';
import { header, submitButton, text } from './components';
import { firstFitting } from './fit';
import { canvasState } from './stored-data';
import { escapeMarkdown, plainText } from './untrusted-text';

const TITLE_CHARS = 100;
const SUBTITLE_CHARS = 150;
const RECENTLY_DECIDED = 5;
/** Countersign answers at most a page of 25; fewer items are shown only if a canvas would not fit. */
const ITEM_LEVELS = [25, 10, 3] as const;

export function approvalListCanvas(approvals: readonly ApprovalView[], conversationId: string, words: CanvasWords = ENGLISH_WORDS): CanvasObject {
  // Item ids are component ids and must be unique; a request listed twice (a page boundary moving under
  // concurrent writes) is shown once.
  const seen = new Set<string>();
  const unique = approvals.filter((approval) => !seen.has(approval.approvalId) && seen.add(approval.approvalId));
  const pending = unique.filter((approval) => approval.status === 'pending');
  const decided = unique.filter((approval) => approval.status !== 'pending').slice(0, RECENTLY_DECIDED);
  if (pending.length === 0) return emptyCanvas(decided, conversationId, words);
  return firstFitting(
    ITEM_LEVELS,
    (maxItems) => listCanvas(pending, decided, maxItems, conversationId, words),
    () => listCanvas(pending, [], 1, conversationId, words),
  );
}

function listCanvas(pending: readonly ApprovalView[], decided: readonly ApprovalView[], maxItems: number, conversationId: string, words: CanvasWords): CanvasObject {
  const shown = pending.slice(0, maxItems);
  const count = words.counted('list.count', pending.length);
  const components: Component[] = [
    header(words.t('list.title')),
    text(shown.length < pending.length ? `${count} ${words.t('list.showingNewest', { count: shown.length })}` : count, 'muted'),
    { type: 'list', items: shown.map((approval) => listItem(approval, words)) },
    ...recentlyDecided(decided, words),
    submitButton(REFRESH_ID, words.t('actions.refresh'), 'secondary'),
  ];
  return { content: { components }, stored_data: canvasState('list', { conversationId }) };
}

function listItem(approval: ApprovalView, words: CanvasWords): ListItem {
  return {
    type: 'item',
    id: approvalComponentId('open', approval.approvalId),
    title: plainText(approval.action, TITLE_CHARS),
    subtitle: plainText(approval.summary, SUBTITLE_CHARS),
    tertiary_text: words.t('list.risk', { risk: riskWord(approval.riskLevel, words) }),
    action: { type: 'submit' },
  };
}

/** "Recently decided: refund_order approved by Ana; cancel_plan expired." as one muted line. */
function recentlyDecided(decided: readonly ApprovalView[], words: CanvasWords): Component[] {
  if (decided.length === 0) return [];
  const entries = decided.map((approval) => {
    const values = { action: plainText(approval.action, 60), outcome: statusWord(approval.status, words).toLowerCase() };
    return approval.decidedBy ? words.t('list.decidedEntryBy', { ...values, name: plainText(approval.decidedBy.name, 60) }) : words.t('list.decidedEntry', values);
  });
  return [text(escapeMarkdown(words.t('list.recentlyDecided', { entries: entries.join('; ') })), 'muted')];
}

/** Nothing pending in this conversation. */
export function emptyCanvas(decided: readonly ApprovalView[], conversationId: string, words: CanvasWords = ENGLISH_WORDS): CanvasObject {
  const components: Component[] = [
    header(words.t('list.title')),
    text(words.t('list.empty')),
    ...recentlyDecided(decided.slice(0, RECENTLY_DECIDED), words),
    submitButton(REFRESH_ID, words.t('actions.refresh'), 'secondary'),
  ];
  return { content: { components }, stored_data: canvasState('empty', { conversationId }) };
}
