// The sidebar shows each request's rules: what it needs before it settles, why this agent may not
// decide it (buttons disabled, with Countersign's reason), an approval that counted without settling,
// and decisions made by a policy rule, in English and German.
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ApprovalView } from '@countersign/shared';
import { approval } from './support/fake-countersign';
import { AGENT } from './support/fake-zaf-client';
import { renderSidebar } from './support/render-sidebar';

afterEach(cleanup);

const TWO_FROM_FINANCE: ApprovalView['policy'] = {
  ruleId: 'critical-two-person',
  version: 3,
  approvalsRequired: 2,
  reviewers: { emails: ['cfo@example.com'], zendeskGroups: ['360001'] },
};
const ANA_APPROVED: ApprovalView['approvals'] = [{ reviewer: { id: '12', name: 'Ana Reviewer', via: 'zendesk' }, at: '2026-11-23T10:30:00.000Z' }];
const NOT_A_REVIEWER = {
  canDecide: false,
  cannotDecideCode: 'reviewer_not_eligible',
  cannotDecideReason: 'Only cfo@example.com or members of Zendesk group 360001 may decide this request (policy rule "critical-two-person").',
} as const;
const BY_POLICY: ApprovalView['decidedBy'] = { id: 'small-refunds', name: 'Policy: small-refunds', via: 'policy' };

const requirementOf = async () => (await screen.findByTestId('requirement-text')).textContent;
/** The first card's requirement line, once it reads `expected` (group names arrive after the list). */
async function requirementBecomes(expected: string): Promise<void> {
  await screen.findByTestId('requirement-text', {}, { timeout: 5000 });
  await waitFor(() => expect(screen.getByTestId('requirement-text').textContent).toBe(expected), { timeout: 5000 });
}
const decisionButtons = (card: HTMLElement) => ['approve-button', 'reject-button', 'edit-button'].map((id) => within(card).getByTestId(id) as HTMLButtonElement);

describe('what a request needs', () => {
  test('names how many approvals it needs and from whom, with the Zendesk group as Zendesk names it', async () => {
    const { api } = renderSidebar([approval({ policy: TWO_FROM_FINANCE })]);
    api.groups = { '360001': 'Finance' };
    await requirementBecomes('2 approvals needed from cfo@example.com or Finance');
    expect(screen.getByTestId('requirement-rule').textContent).toBe('Rule: critical-two-person');
    // Asked of Zendesk's own API with the agent's session, not through Countersign's proxy.
    expect(api.groupRequests()).toEqual([expect.objectContaining({ url: '/api/v2/groups/360001.json', type: 'GET' })]);
    expect(api.groupRequests()[0]!.secure).toBeUndefined();
    expect(api.groupRequests()[0]!.headers).toBeUndefined();
  });

  test('shows the group id when Zendesk does not name the group', async () => {
    const { api } = renderSidebar([approval({ policy: TWO_FROM_FINANCE })]);
    await waitFor(() => expect(api.groupRequests()).toHaveLength(1));
    expect(await requirementOf()).toBe('2 approvals needed from cfo@example.com or Zendesk group 360001');
  });

  test('with one approval in: who approved and how many more, from whom', async () => {
    const { api } = renderSidebar([approval({ policy: TWO_FROM_FINANCE, approvals: ANA_APPROVED })]);
    api.groups = { '360001': 'Finance' };
    await requirementBecomes('2 approvals needed: Ana Reviewer approved, 1 more from cfo@example.com or Finance');
  });

  test('says any reviewer can approve when no rule restricts it, and names a rule that matched', async () => {
    renderSidebar([approval({ policy: null }), approval({ policy: { ruleId: 'refunds-any', version: 1, approvalsRequired: 1, reviewers: null } })]);
    const lines = await screen.findAllByTestId('requirement-text');
    expect(lines.map((line) => line.textContent)).toEqual(['Any reviewer can approve', 'Any reviewer can approve']);
    expect(screen.getAllByTestId('requirement-rule').map((line) => line.textContent)).toEqual(['Rule: refunds-any']);
  });

  test('words roles, named reviewers and Intercom teams', async () => {
    renderSidebar([
      approval({ policy: { ruleId: 'mixed', version: 2, approvalsRequired: 1, reviewers: { ids: ['zendesk:381', 'api:admin'], zendeskRoles: ['admin', '360009'], intercomTeams: ['55'] } } }),
    ]);
    expect(await requirementOf()).toBe('1 approval needed from Zendesk user 381, API reviewer admin, Zendesk admins, agents with custom role 360009, or Intercom team 55');
  });
});

describe('an agent who may not decide', () => {
  test('sees Approve, Reject and Edit disabled, a headline and Countersign\'s reason; nothing is sent', async () => {
    const { api } = renderSidebar([approval({ policy: TWO_FROM_FINANCE, ...NOT_A_REVIEWER })]);
    const card = await screen.findByTestId('approval-card');
    for (const button of decisionButtons(card)) expect(button.disabled).toBe(true);
    const note = within(card).getByTestId('cannot-decide');
    expect(note.dataset.code).toBe('reviewer_not_eligible');
    expect(within(note).getByTestId('cannot-decide-title').textContent).toBe("You're not a reviewer for this request");
    expect(within(note).getByTestId('cannot-decide-reason').textContent).toBe(NOT_A_REVIEWER.cannotDecideReason);
    await userEvent.click(decisionButtons(card)[0]!);
    expect(api.decisionRequests()).toHaveLength(0);
  });

  test('who asked for the request is told so (four eyes)', async () => {
    const reason = 'You asked for this request, so someone else must decide it (four eyes).';
    renderSidebar([approval({ requestedBy: { email: AGENT.email }, canDecide: false, cannotDecideCode: 'self_approval', cannotDecideReason: reason })]);
    const note = await screen.findByTestId('cannot-decide');
    expect(within(note).getByTestId('cannot-decide-title').textContent).toBe('You asked for this request');
    expect(within(note).getByTestId('cannot-decide-reason').textContent).toBe(reason);
    for (const button of decisionButtons(await screen.findByTestId('approval-card'))) expect(button.disabled).toBe(true);
  });

  test('a reason without a headline of its own gets the general one', async () => {
    renderSidebar([approval({ canDecide: false, cannotDecideCode: 'something_new', cannotDecideReason: 'A reason from a newer server.' })]);
    const note = await screen.findByTestId('cannot-decide');
    expect(within(note).getByTestId('cannot-decide-title').textContent).toBe("You can't decide this request");
    expect(within(note).getByTestId('cannot-decide-reason').textContent).toBe('A reason from a newer server.');
  });

  test('an agent whose session is not verified keeps the buttons: deciding asks for the sign-in', async () => {
    renderSidebar([approval({ canDecide: false, cannotDecideCode: 'reviewer_unverified', cannotDecideReason: 'This key is installed in the Zendesk app: …' })]);
    const card = await screen.findByTestId('approval-card');
    for (const button of decisionButtons(card)) expect(button.disabled).toBe(false);
    expect(within(card).queryByTestId('cannot-decide')).toBeNull();
  });

  test('a decision refused after all (403 reviewer_not_eligible) shows Countersign\'s reason, not a key problem', async () => {
    const { api } = renderSidebar([approval({ policy: TWO_FROM_FINANCE })]);
    api.nextDecision = { status: 403, body: { error: { code: 'reviewer_not_eligible', message: NOT_A_REVIEWER.cannotDecideReason, issues: [] } } };
    await userEvent.click(await screen.findByTestId('approve-button'));
    const notice = await screen.findByTestId('notice');
    expect(notice.dataset.kind).toBe('refused');
    expect(notice.textContent).toContain('Countersign did not accept your decision');
    expect(notice.textContent).toContain(NOT_A_REVIEWER.cannotDecideReason);
    expect(notice.textContent).not.toContain('review key');
  });
});

describe('quorum', () => {
  test('an approval that does not settle says "Your approval is recorded, 1 more needed"; the request stays pending, not for this agent', async () => {
    const { api } = renderSidebar([approval({ policy: TWO_FROM_FINANCE })]);
    api.groups = { '360001': 'Finance' };
    await userEvent.click(await screen.findByTestId('approve-button'));
    await waitFor(() => expect(api.decisionRequests()).toHaveLength(1));

    const notice = await screen.findByTestId('notice');
    expect(notice.dataset.kind).toBe('recorded');
    expect(notice.textContent).toContain('Your approval is recorded, 1 more needed');
    expect(notice.textContent).not.toContain('The automation has been told');
    const card = await screen.findByTestId('approval-card');
    expect(card.dataset.status).toBe('pending');
    expect(screen.queryByTestId('decided-card')).toBeNull();
    await requirementBecomes(`2 approvals needed: ${AGENT.name} approved, 1 more from cfo@example.com or Finance`);
    for (const button of decisionButtons(card)) expect(button.disabled).toBe(true);
    expect(within(card).getByTestId('cannot-decide-title').textContent).toBe('Your approval is recorded, 1 more needed');
  });

  test('409 already_approved says plainly that this agent already approved, not that someone else decided', async () => {
    // A list from before the agent's own approval counted: the buttons are still enabled.
    const mine = [{ reviewer: { id: String(AGENT.id), name: AGENT.name, email: AGENT.email, via: 'zendesk' as const }, at: '2026-11-23T10:30:00.000Z' }];
    const { api } = renderSidebar([approval({ policy: { ...TWO_FROM_FINANCE!, approvalsRequired: 3 }, approvals: mine })]);
    await userEvent.click(await screen.findByTestId('approve-button'));
    const notice = await screen.findByTestId('notice');
    expect(notice.dataset.kind).toBe('alreadyApproved');
    expect(notice.textContent).toContain('You have already approved this request');
    expect(notice.textContent).toContain('It still needs 2 more from other reviewers.');
    expect(notice.textContent).not.toContain('Someone else got there first');
    expect(api.decisionRequests()).toHaveLength(1);
    expect((await screen.findByTestId('approval-card')).dataset.status).toBe('pending');
  });

  test('a request settled by several approvals names them all', async () => {
    const approvals = [...ANA_APPROVED, { reviewer: { id: '13', name: 'Ben Reviewer', via: 'zendesk' as const }, at: '2026-11-23T11:00:00.000Z' }];
    renderSidebar([approval({ status: 'approved', policy: TWO_FROM_FINANCE, approvals, decidedBy: approvals[1]!.reviewer, decidedAt: '2026-11-23T11:00:00.000Z' })]);
    expect((await screen.findByTestId('decided-by')).textContent).toMatch(/^Approved by Ana Reviewer and Ben Reviewer on /);
  });
});

describe('decisions by the policy', () => {
  test('show as made automatically by the rule, not by a person', async () => {
    renderSidebar([
      approval({ status: 'approved', decidedBy: BY_POLICY, decidedAt: '2026-11-23T10:00:00.000Z', decisionNote: 'Refunds up to 20 are approved automatically.' }),
      approval({ status: 'rejected', decidedBy: { id: 'no-gift-cards', name: 'Policy: no-gift-cards', via: 'policy' }, decidedAt: '2026-11-23T10:00:00.000Z' }),
    ]);
    await waitFor(() => expect(screen.getAllByTestId('decided-by')).toHaveLength(2));
    const [approved, rejected] = screen.getAllByTestId('decided-by').map((line) => line.textContent ?? '');
    expect(approved).toMatch(/^Approved automatically by rule small-refunds on /);
    expect(rejected).toMatch(/^Rejected automatically by rule no-gift-cards on /);
    expect(approved).not.toContain('Policy: small-refunds');
  });
});

describe('in German', () => {
  const GERMAN_AGENT = { ...AGENT, locale: 'de' };

  test('what a request needs, with one approval in', async () => {
    const { api } = renderSidebar([approval({ policy: TWO_FROM_FINANCE, approvals: ANA_APPROVED })], { user: GERMAN_AGENT });
    api.groups = { '360001': 'Finanzen' };
    await requirementBecomes('2 Freigaben nötig: Ana Reviewer hat freigegeben, 1 weitere von cfo@example.com oder Finanzen');
    expect(screen.getByTestId('requirement-rule').textContent).toBe('Regel: critical-two-person');
  });

  test('any reviewer, the disabled buttons\' headline (the reason stays in Countersign\'s English), and the policy\'s decision', async () => {
    renderSidebar(
      [
        approval({ policy: null }),
        approval({ policy: TWO_FROM_FINANCE, ...NOT_A_REVIEWER }),
        approval({ status: 'approved', decidedBy: BY_POLICY, decidedAt: '2026-11-23T10:00:00.000Z' }),
      ],
      { user: GERMAN_AGENT },
    );
    const lines = await screen.findAllByTestId('requirement-text');
    expect(lines[0]!.textContent).toBe('Jede Prüferin und jeder Prüfer kann freigeben');
    expect(screen.getByTestId('cannot-decide-title').textContent).toBe('Sie gehören nicht zu den Prüfenden dieser Anfrage');
    expect(screen.getByTestId('cannot-decide-reason').textContent).toBe(NOT_A_REVIEWER.cannotDecideReason);
    expect(screen.getByTestId('decided-by').textContent).toMatch(/^Automatisch freigegeben durch die Regel small-refunds am /);
  });

  test('an approval that does not settle', async () => {
    renderSidebar([approval({ policy: { ...TWO_FROM_FINANCE!, reviewers: null } })], { user: GERMAN_AGENT });
    await userEvent.click(await screen.findByTestId('approve-button'));
    const notice = await screen.findByTestId('notice');
    expect(notice.textContent).toContain('Ihre Freigabe ist gespeichert, 1 weitere nötig');
    await requirementBecomes(`2 Freigaben nötig: ${AGENT.name} hat freigegeben, 1 weitere`);
  });
});
