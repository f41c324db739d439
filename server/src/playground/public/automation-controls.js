// The automation's side of the demo: post the seed requests, and let "another agent" decide the
// newest pending request through the API to show what the sidebar does with a conflict.
import { byTestId } from './dom.js';
import { playgroundApi } from './api.js';

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

/** The newest pending request on the ticket, asked through the same proxy the app uses (the review key stays on the server). */
async function newestPendingApprovalId(ticketId) {
  const response = await playgroundApi.zafRequest({
    url: `/api/approvals?status=pending&ticketId=${encodeURIComponent(ticketId)}&limit=1`,
    type: 'GET',
    secure: true,
    headers: { Authorization: 'Bearer {{setting.review_key}}' },
  });
  const answer = await response.json();
  if (!response.ok || answer.status !== 200) throw new Error(`listing pending requests failed (${answer.status ?? response.status})`);
  return JSON.parse(answer.responseText).items?.[0]?.approvalId ?? null;
}

/**
 * @param {object} options
 * @param {string | number} options.ticketId
 * @param {() => void} options.onSeedPosted the ticket changed: tell the app, refresh the panels
 * @param {() => void} options.onDecidedElsewhere refresh the panels (but NOT the app: it must find out on its own)
 */
export function bindAutomationControls({ ticketId, onSeedPosted, onDecidedElsewhere }) {
  for (const [testId, kind] of [['seed-refund', 'refund'], ['seed-cancellation', 'cancellation']]) {
    onClick(testId, async () => {
      try {
        const { status, body } = await playgroundApi.postSeed(kind);
        const approvalId = String(body?.approvalId ?? '');
        const outcome = body?.error ? `${body.error.code}: ${body.error.message}` : `${body?.status ?? '?'} ${approvalId}`;
        showResult('seed-result', `Intake answered ${status}: ${outcome}`, { approvalId, status: String(body?.status ?? status) });
        onSeedPosted();
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
