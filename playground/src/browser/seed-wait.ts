// Seed 001's synchronous wait, shown as it happens: the AI agent's request is held open by the real
// intake (the page's fetch stays open) with a countdown, until a reviewer decides in the sidebar or
// the wait ends; then the answer the agent got (approved / rejected with the note, or pending).
import type { ApprovalStatus } from '@countersign/shared';
import { answerFields } from './api';
import { byTestId, byTestIdAs } from './dom';

const TICK_MS = 250;

/** What the AI agent does next, by the status it got. */
const NEXT_STEP: ReadonlyMap<string, string> = new Map(Object.entries({
  approved: 'The AI agent goes ahead with the cancellation.',
  rejected: 'The AI agent explains that the action needs a human.',
  pending: 'No decision within the wait: the AI agent can poll GET /api/approvals/{approvalId}, or resume on the callback.',
  expired: 'The request expired.',
  cancelled: 'The request was cancelled.',
} satisfies Record<ApprovalStatus, string>));

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

export interface SeedWaitView {
  /** The request went out with this wait; the clock starts now. */
  held(waitMs: number): void;
  /** The held request, found in the API while its answer is still on its way. */
  found(approvalId: string): void;
  /** The intake answered: what the AI agent's flow branches on. */
  released(httpStatus: number, body: unknown): void;
  failed(message: string): void;
}

/** `root` is the seed-wait block. */
export function createSeedWaitView(root: HTMLElement): SeedWaitView {
  const state = byTestId('seed-wait-state', root);
  const text = byTestId('seed-wait-text', root);
  const countdown = byTestId('seed-wait-countdown', root);
  const bar = byTestIdAs(HTMLProgressElement, 'seed-wait-progress', root);
  const answer = byTestId('seed-wait-answer', root);
  let timer: ReturnType<typeof setInterval> | undefined;
  let startedAt = 0;

  const setState = (name: string, label: string) => {
    root.dataset.state = name;
    state.textContent = label;
    state.className = `wait-pill wait-${name}`;
  };

  const stopClock = () => {
    clearInterval(timer);
    timer = undefined;
  };

  return {
    held(waitMs) {
      stopClock();
      startedAt = Date.now();
      root.hidden = false;
      delete root.dataset.approvalId;
      delete root.dataset.status;
      answer.hidden = true;
      answer.textContent = '';
      setState('held', 'held');
      text.textContent = `Countersign is holding the AI agent's request open (maxWaitMs ${waitMs}) until a reviewer decides in the sidebar.`;
      const tick = () => {
        const left = waitMs - (Date.now() - startedAt);
        root.dataset.secondsLeft = String(seconds(left));
        bar.value = Math.max(0, left) / waitMs;
        countdown.textContent = left > 0 ? `${seconds(left)} s left` : 'The wait is over; Countersign is answering…';
      };
      tick();
      timer = setInterval(tick, TICK_MS);
    },

    found(approvalId) {
      root.dataset.approvalId = approvalId;
      if (root.dataset.state === 'held') text.textContent = `Countersign is holding the AI agent's request ${approvalId} open until a reviewer decides in the sidebar.`;
    },

    released(httpStatus, body) {
      stopClock();
      const fields = answerFields(body);
      const status = String(fields.status ?? 'error');
      const after = `${seconds(Date.now() - startedAt)} s`;
      if (fields.approvalId) root.dataset.approvalId = String(fields.approvalId);
      root.dataset.status = status;
      setState('released', 'released');
      bar.value = 0;
      if (fields.error) {
        text.textContent = `Released after ${after}: HTTP ${httpStatus}, ${fields.error.code}: ${fields.error.message}`;
        countdown.textContent = '';
      } else {
        const note = fields.decisionNote ? ` with the note “${fields.decisionNote}”` : '';
        text.textContent = `Released after ${after}: HTTP ${httpStatus}, the AI agent got ${status}${note}`;
        countdown.textContent = NEXT_STEP.get(status) ?? '';
      }
      answer.textContent = JSON.stringify(body, null, 2);
      answer.hidden = false;
    },

    failed(message) {
      stopClock();
      root.dataset.status = 'error';
      setState('failed', 'failed');
      countdown.textContent = '';
      text.textContent = `Posting failed: ${message}`;
    },
  };
}
