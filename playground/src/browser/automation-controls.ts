// The automation's side of the demo: post the seed requests (seed 001 held until decided), and let
// "another agent" decide the newest pending request through the API to show what the sidebar does
// with a conflict.
import type { ApprovalPage, ApprovalView, DecisionInput } from '@countersign/shared';
import type { SeedName } from '../sample-ticket';
import { answerFields, messageOf, playgroundApi, type Relayed } from './api';
import { newAppGuid } from './app-frame';
import { byTestId, byTestIdAs, setData } from './dom';
import { createSeedWaitView, type SeedWaitView } from './seed-wait';
import type { ZafRequestOptions } from './zaf-request';

const FIND_HELD_MS = 200;

function showResult(testId: string, text: string, data: Record<string, string> = {}): void {
  const node = byTestId(testId);
  node.textContent = text;
  setData(node, data);
}

/** Runs a click handler with the button disabled, so a double click never posts twice. */
function onClick(testId: string, handler: () => Promise<void>): void {
  const button = byTestIdAs(HTMLButtonElement, testId);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await handler();
    } finally {
      button.disabled = false;
    }
  });
}

/** The ticket's newest pending requests, asked through the same proxy the app uses (the review key stays on the server). */
async function pendingRequests(ticketId: string | number, limit: number): Promise<ApprovalView[]> {
  const response = await playgroundApi.zafRequest({
    url: `/api/approvals?status=pending&ticketId=${encodeURIComponent(ticketId)}&limit=${limit}`,
    type: 'GET',
    secure: true,
    headers: { Authorization: 'Bearer {{setting.review_key}}' },
  } satisfies ZafRequestOptions);
  const answer = (await response.json()) as { status?: number; responseText: string };
  if (!response.ok || answer.status !== 200) throw new Error(`listing pending requests failed (${answer.status ?? response.status})`);
  return (JSON.parse(answer.responseText) as ApprovalPage).items ?? [];
}

async function newestPendingApprovalId(ticketId: string | number): Promise<string | null> {
  return (await pendingRequests(ticketId, 1))[0]?.approvalId ?? null;
}

/**
 * The request a held seed 001 created (tagged with `run`), looked up while its answer is on its way;
 * null when the answer came first.
 */
async function findHeldRequest(ticketId: string | number, run: string, answered: () => boolean): Promise<string | null> {
  while (!answered()) {
    try {
      const held = (await pendingRequests(ticketId, 20)).find((approval) => approval.metadata?.playgroundRun === run);
      if (held && !answered()) return held.approvalId;
    } catch (error) {
      console.warn('playground: looking for the held request failed', error);
    }
    await new Promise((resolve) => setTimeout(resolve, FIND_HELD_MS));
  }
  return null;
}

interface HeldSeed {
  ticketId: string | number;
  waitMs: number;
  view: SeedWaitView;
  onCreated: () => void;
}

/** Seed 001 as its AI agent posts it: the answer is held until a reviewer decides or the wait ends. */
async function postHeldSeed({ ticketId, waitMs, view, onCreated }: HeldSeed): Promise<Relayed> {
  const run = newAppGuid();
  let answered = false;
  let announced = false;
  // Once per request: found while held, or else when the answer comes (the sidebar must hear of it).
  const announce = (approvalId: string | null) => {
    if (announced) return;
    announced = true;
    if (approvalId) view.found(approvalId);
    onCreated();
  };
  view.held(waitMs);
  showResult('seed-result', 'Posted seed 001; Countersign is holding the answer.', { status: 'held' });
  const posting = playgroundApi.postSeed('cancellation', { run }).finally(() => {
    answered = true;
  });
  void findHeldRequest(ticketId, run, () => answered).then((approvalId) => {
    if (approvalId) announce(approvalId);
  });
  try {
    const { status, body } = await posting;
    view.released(status, body);
    announce(null);
    return { status, body };
  } catch (error) {
    view.failed(messageOf(error));
    throw error;
  }
}

export interface AutomationControls {
  ticketId: string | number;
  /** How long the server holds seed 001 (its maxWaitMs within the server's cap). */
  seedWaitMs: number;
  /** The ticket changed: tell the app, refresh the panels. */
  onSeedPosted: () => void;
  /** Refresh the panels (but NOT the app: it must find out on its own). */
  onDecidedElsewhere: () => void;
}

const SEED_BUTTONS: ReadonlyArray<[testId: string, kind: SeedName]> = [['seed-refund', 'refund'], ['seed-cancellation', 'cancellation']];

const DECIDE_BUTTONS: ReadonlyArray<[testId: string, decision: DecisionInput['decision'], decided: string]> = [
  ['decide-elsewhere', 'approve', 'approved'],
  ['decide-elsewhere-reject', 'reject', 'rejected'],
];

export function bindAutomationControls({ ticketId, seedWaitMs, onSeedPosted, onDecidedElsewhere }: AutomationControls): void {
  const view = createSeedWaitView(byTestId('seed-wait'));
  const post: Record<SeedName, () => Promise<Relayed>> = {
    refund: async () => {
      const answer = await playgroundApi.postSeed('refund');
      onSeedPosted();
      return answer;
    },
    cancellation: () => postHeldSeed({ ticketId, waitMs: seedWaitMs, view, onCreated: onSeedPosted }),
  };
  for (const [testId, kind] of SEED_BUTTONS) {
    onClick(testId, async () => {
      try {
        const { status, body } = await post[kind]();
        const fields = answerFields(body);
        const approvalId = String(fields.approvalId ?? '');
        const outcome = fields.error ? `${fields.error.code}: ${fields.error.message}` : `${fields.status ?? '?'} ${approvalId}`;
        showResult('seed-result', `Intake answered ${status}: ${outcome}`, { approvalId, status: String(fields.status ?? status) });
      } catch (error) {
        showResult('seed-result', `Posting failed: ${messageOf(error)}`, { status: 'error' });
      }
    });
  }

  for (const [testId, decision, decided] of DECIDE_BUTTONS) {
    onClick(testId, async () => {
      try {
        const approvalId = await newestPendingApprovalId(ticketId);
        if (!approvalId) {
          showResult('decide-elsewhere-result', 'No pending request on this ticket to decide.', { status: 'none' });
          return;
        }
        const note = decision === 'reject' ? 'Declined by another agent from the API.' : undefined;
        const { status, body } = await playgroundApi.decideElsewhere(approvalId, decision, note);
        const fields = answerFields(body);
        const outcome = fields.error ? `${fields.error.code}: ${fields.error.message}` : String(fields.status ?? '');
        showResult('decide-elsewhere-result', `Sam (another agent) ${decided} ${approvalId}: HTTP ${status} ${outcome}`, {
          approvalId,
          status: String(fields.status ?? status),
        });
        onDecidedElsewhere();
      } catch (error) {
        showResult('decide-elsewhere-result', `Deciding elsewhere failed: ${messageOf(error)}`, { status: 'error' });
      }
    });
  }
}
