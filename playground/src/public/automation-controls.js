// The automation's side of the demo: post the seed requests (seed 001 held until decided), and let
// "another agent" decide the newest pending request through the API to show what the sidebar does
// with a conflict.
import { byTestId } from './dom.js';
import { playgroundApi } from './api.js';
import { newAppGuid } from './app-frame.js';
import { createSeedWaitView } from './seed-wait.js';

const FIND_HELD_MS = 200;

function showResult(testId, text, data = {}) {
  const node = byTestId(testId);
  node.textContent = text;
  for (const key of Object.keys(node.dataset)) if (key !== 'testid') delete node.dataset[key];
  Object.assign(node.dataset, data);
}

/** Runs a click handler with the button disabled, so a double click never posts twice. */
function onClick(testId, handler) {
  const button = byTestId(testId);
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
async function pendingRequests(ticketId, limit) {
  const response = await playgroundApi.zafRequest({
    url: `/api/approvals?status=pending&ticketId=${encodeURIComponent(ticketId)}&limit=${limit}`,
    type: 'GET',
    secure: true,
    headers: { Authorization: 'Bearer {{setting.review_key}}' },
  });
  const answer = await response.json();
  if (!response.ok || answer.status !== 200) throw new Error(`listing pending requests failed (${answer.status ?? response.status})`);
  return JSON.parse(answer.responseText).items ?? [];
}

async function newestPendingApprovalId(ticketId) {
  return (await pendingRequests(ticketId, 1))[0]?.approvalId ?? null;
}

/**
 * The request a held seed 001 created (tagged with `run`), looked up while its answer is on its way;
 * null when the answer came first.
 */
async function findHeldRequest(ticketId, run, answered) {
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

/** Seed 001 as its AI agent posts it: the answer is held until a reviewer decides or the wait ends. */
async function postHeldSeed({ ticketId, waitMs, view, onCreated }) {
  const run = newAppGuid();
  let answered = false;
  let announced = false;
  // Once per request: found while held, or else when the answer comes (the sidebar must hear of it).
  const announce = (approvalId) => {
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
    view.failed(error.message);
    throw error;
  }
}

/**
 * @param {object} options
 * @param {string | number} options.ticketId
 * @param {number} options.seedWaitMs how long the server holds seed 001 (its maxWaitMs within the server's cap)
 * @param {() => void} options.onSeedPosted the ticket changed: tell the app, refresh the panels
 * @param {() => void} options.onDecidedElsewhere refresh the panels (but NOT the app: it must find out on its own)
 */
export function bindAutomationControls({ ticketId, seedWaitMs, onSeedPosted, onDecidedElsewhere }) {
  const view = createSeedWaitView(byTestId('seed-wait'));
  const post = {
    refund: async () => {
      const answer = await playgroundApi.postSeed('refund');
      onSeedPosted();
      return answer;
    },
    cancellation: () => postHeldSeed({ ticketId, waitMs: seedWaitMs, view, onCreated: onSeedPosted }),
  };
  for (const [testId, kind] of [['seed-refund', 'refund'], ['seed-cancellation', 'cancellation']]) {
    onClick(testId, async () => {
      try {
        const { status, body } = await post[kind]();
        const approvalId = String(body?.approvalId ?? '');
        const outcome = body?.error ? `${body.error.code}: ${body.error.message}` : `${body?.status ?? '?'} ${approvalId}`;
        showResult('seed-result', `Intake answered ${status}: ${outcome}`, { approvalId, status: String(body?.status ?? status) });
      } catch (error) {
        showResult('seed-result', `Posting failed: ${error.message}`, { status: 'error' });
      }
    });
  }

  for (const [testId, decision, decided] of [['decide-elsewhere', 'approve', 'approved'], ['decide-elsewhere-reject', 'reject', 'rejected']]) {
    onClick(testId, async () => {
      try {
        const approvalId = await newestPendingApprovalId(ticketId);
        if (!approvalId) {
          showResult('decide-elsewhere-result', 'No pending request on this ticket to decide.', { status: 'none' });
          return;
        }
        const note = decision === 'reject' ? 'Declined by another agent from the API.' : undefined;
        const { status, body } = await playgroundApi.decideElsewhere(approvalId, decision, note);
        const outcome = body?.error ? `${body.error.code}: ${body.error.message}` : String(body?.status ?? '');
        showResult('decide-elsewhere-result', `Sam (another agent) ${decided} ${approvalId}: HTTP ${status} ${outcome}`, {
          approvalId,
          status: String(body?.status ?? status),
        });
        onDecidedElsewhere();
      } catch (error) {
        showResult('decide-elsewhere-result', `Deciding elsewhere failed: ${error.message}`, { status: 'error' });
      }
    });
  }
}
