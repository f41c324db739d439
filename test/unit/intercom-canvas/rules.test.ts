// The canvas shows each request's rules: what it needs before it settles, why this teammate may not
// decide it (Approve / Edit / Reject disabled, with Countersign's reason), an approval that counted
// without settling, 409 already_approved, and decisions made by a policy rule; in English and German.
import { afterEach, describe, expect, it } from 'vitest';
import { approvalDetailCanvas, canvasWords, decidedCanvas, GERMAN, ENGLISH, type ButtonComponent, type CanvasObject } from '@countersign/intercom-canvas';
import type { ApprovalView } from '@countersign/shared';
import { approvalView, decidedView } from './support/approvals';
import { ofType, texts } from './support/canvas-json';
import { ADMIN, WORKSPACE, initializeBody, post, startCanvasServer, submitBody, type CanvasServer } from './support/canvas-server';
import { unescapeMarkdown } from './support/inline-markdown';
import { expectValidCanvas } from './support/valid-canvas';

const options = { link: null, conversationId: '215467' };
const german = { ...options, words: canvasWords('de-DE') };

const TWO_FROM_TEAM: ApprovalView['policy'] = { ruleId: 'critical-two-person', version: 3, approvalsRequired: 2, reviewers: { emails: ['cfo@example.com'], intercomTeams: ['55'] } };
const RILEY_APPROVED: ApprovalView['approvals'] = [{ reviewer: { id: '7001', name: 'Riley Teammate', via: 'intercom' }, at: '2026-11-23T18:55:00.000Z' }];
const NOT_ELIGIBLE_REASON = 'Only cfo@example.com or members of Intercom team 55 may decide this request (policy rule "critical-two-person").';
const BY_POLICY: ApprovalView['decidedBy'] = { id: 'small-refunds', name: 'Policy: small-refunds', via: 'policy' };

/** What the teammate reads: every text component with Markdown escapes removed. */
const readable = (canvas: CanvasObject) => texts(canvas).map(unescapeMarkdown);
const muted = (canvas: CanvasObject) => ofType(canvas, 'text').filter((t) => t.style === 'muted').map((t) => unescapeMarkdown(t.text));
const button = (canvas: CanvasObject, id: string) => ofType(canvas, 'button').find((b) => b.id === id) as ButtonComponent | undefined;
const decisionButtons = (canvas: CanvasObject, approvalId: string) => ['approve', 'edit', 'reject'].map((verb) => button(canvas, `${verb}:${approvalId}`));

describe('what a request needs, on the detail canvas', () => {
  it('needs 2: how many approvals, from whom, and the rule', () => {
    const canvas = expectValidCanvas(approvalDetailCanvas(approvalView({ policy: TWO_FROM_TEAM }), options));
    expect(readable(canvas)).toContain('2 approvals needed from cfo@example.com or Intercom team 55.');
    expect(muted(canvas)).toContain('Rule: critical-two-person');
  });

  it('one recorded: who approved and how many more, from whom', () => {
    const canvas = expectValidCanvas(approvalDetailCanvas(approvalView({ policy: TWO_FROM_TEAM, approvals: RILEY_APPROVED }), options));
    expect(readable(canvas)).toContain('2 approvals needed: Riley Teammate approved, 1 more from cfo@example.com or Intercom team 55.');
  });

  it('any reviewer when no rule restricts it; no rule line when none matched', () => {
    const canvas = expectValidCanvas(approvalDetailCanvas(approvalView({ policy: null }), options));
    expect(readable(canvas)).toContain('Any reviewer can approve.');
    expect(muted(canvas).some((line) => line.startsWith('Rule:'))).toBe(false);
  });

  it('names roles and named reviewers in words, and cuts a long list to "N others"', () => {
    const ids = Array.from({ length: 14 }, (_, i) => `zendesk:${100 + i}`);
    const canvas = expectValidCanvas(approvalDetailCanvas(approvalView({ policy: { ruleId: 'many', version: 1, approvalsRequired: 1, reviewers: { ids, zendeskRoles: ['admin'] } } }), options));
    const line = readable(canvas).find((text) => text.startsWith('1 approval needed from'));
    expect(line).toBe('1 approval needed from Zendesk user 100, Zendesk user 101, Zendesk user 102, Zendesk user 103, Zendesk user 104, Zendesk user 105, Zendesk user 106, Zendesk user 107, Zendesk user 108, Zendesk user 109, or 5 others.');
  });

  it('keeps reviewer names from producing Markdown', () => {
    const approvals = [{ reviewer: { id: '1', name: '**Boss** [x](https://evil.example)', via: 'intercom' as const }, at: '2026-11-23T18:55:00.000Z' }];
    const canvas = expectValidCanvas(approvalDetailCanvas(approvalView({ policy: TWO_FROM_TEAM, approvals }), options));
    const line = texts(canvas).find((text) => text.startsWith('2 approvals needed'))!;
    expect(line).toContain('\\*\\*Boss\\*\\* \\[x\\]\\(https\\://evil.example\\)');
  });
});

describe('a teammate who may not decide', () => {
  it('sees Approve, Edit and Reject disabled (Back is not), a headline and Countersign\'s reason', () => {
    const approval = approvalView({ policy: TWO_FROM_TEAM, canDecide: false, cannotDecideCode: 'reviewer_not_eligible', cannotDecideReason: NOT_ELIGIBLE_REASON });
    const canvas = expectValidCanvas(approvalDetailCanvas(approval, options));
    for (const decision of decisionButtons(canvas, approval.approvalId)) expect(decision?.disabled).toBe(true);
    expect(button(canvas, 'back')?.disabled).toBeUndefined();
    expect(texts(canvas)).toContain('**You are not a reviewer for this request**');
    expect(muted(canvas)).toContain(NOT_ELIGIBLE_REASON);
  });

  it('who asked for it is told so (four eyes)', () => {
    const reason = 'You asked for this request, so someone else must decide it (four eyes).';
    const approval = approvalView({ canDecide: false, cannotDecideCode: 'self_approval', cannotDecideReason: reason });
    const canvas = expectValidCanvas(approvalDetailCanvas(approval, options));
    expect(texts(canvas)).toContain('**You asked for this request**');
    expect(muted(canvas)).toContain(reason);
    for (const decision of decisionButtons(canvas, approval.approvalId)) expect(decision?.disabled).toBe(true);
  });

  it('whose approval already counts reads "Your approval is recorded; 1 more approval is needed."', () => {
    const approval = approvalView({ policy: TWO_FROM_TEAM, approvals: RILEY_APPROVED, canDecide: false, cannotDecideCode: 'already_approved', cannotDecideReason: 'Your approval is recorded; 1 more approval from other reviewers must follow.' });
    const canvas = expectValidCanvas(approvalDetailCanvas(approval, options));
    expect(texts(canvas)).toContain('**Your approval is recorded; 1 more approval is needed.**');
    for (const decision of decisionButtons(canvas, approval.approvalId)) expect(decision?.disabled).toBe(true);
  });

  it('a teammate who may decide gets the buttons enabled', () => {
    const approval = approvalView({ policy: TWO_FROM_TEAM, canDecide: true, cannotDecideReason: null, cannotDecideCode: null });
    const canvas = expectValidCanvas(approvalDetailCanvas(approval, options));
    for (const decision of decisionButtons(canvas, approval.approvalId)) expect(decision?.disabled).toBeUndefined();
    expect(texts(canvas).some((text) => text.includes('You are not'))).toBe(false);
  });
});

describe('decided by the policy', () => {
  it('shows the rule as the decider, not a person', () => {
    const canvas = expectValidCanvas(decidedCanvas(decidedView('approved', { decidedBy: BY_POLICY, decisionNote: 'Refunds up to 20 are approved automatically.' }), options));
    expect(readable(canvas)).toContain('Approved automatically by rule small-refunds');
    expect(readable(canvas).some((text) => text.startsWith('Decided by'))).toBe(false);
    const rejected = expectValidCanvas(decidedCanvas(decidedView('rejected', { decidedBy: { id: 'no-gift-cards', name: 'Policy: no-gift-cards', via: 'policy' } }), options));
    expect(readable(rejected)).toContain('Rejected automatically by rule no-gift-cards');
  });

  it('a request several approvals settled names them all', () => {
    const approvals = [...RILEY_APPROVED, { reviewer: { id: '7002', name: 'Sam Teammate', via: 'intercom' as const }, at: '2026-11-23T19:00:00.000Z' }];
    const canvas = expectValidCanvas(decidedCanvas(decidedView('approved', { policy: TWO_FROM_TEAM, approvals, decidedBy: approvals[1]!.reviewer }), options));
    expect(readable(canvas)).toContain('Approved by Riley Teammate and Sam Teammate');
    expect(readable(canvas)).toContain('Decided by Sam Teammate');
  });
});

describe('in German', () => {
  it('what it needs, the disabled buttons\' headline (the reason stays in Countersign\'s English) and the buttons', () => {
    const approval = approvalView({ policy: TWO_FROM_TEAM, approvals: RILEY_APPROVED, canDecide: false, cannotDecideCode: 'reviewer_not_eligible', cannotDecideReason: NOT_ELIGIBLE_REASON });
    const canvas = expectValidCanvas(approvalDetailCanvas(approval, german));
    expect(readable(canvas)).toContain('2 Freigaben nötig: Riley Teammate hat freigegeben, 1 weitere von cfo@example.com oder Intercom-Team 55.');
    expect(muted(canvas)).toContain('Regel: critical-two-person');
    expect(texts(canvas)).toContain('**Sie gehören nicht zu den Prüfenden dieser Anfrage**');
    expect(muted(canvas)).toContain(NOT_ELIGIBLE_REASON);
    expect(decisionButtons(canvas, approval.approvalId).map((b) => b?.label)).toEqual(['Freigeben', 'Bearbeiten', 'Ablehnen']);
    expect(button(canvas, 'back')?.label).toBe('Zurück');
    expect(texts(canvas)).toContain('**Risiko: Hoch**');
  });

  it('any reviewer, an approval recorded, and the policy\'s decision', () => {
    expect(readable(approvalDetailCanvas(approvalView({ policy: null }), german))).toContain('Jede Prüferin und jeder Prüfer kann freigeben.');
    const recorded = approvalView({ policy: TWO_FROM_TEAM, approvals: RILEY_APPROVED, canDecide: false, cannotDecideCode: 'already_approved', cannotDecideReason: 'Your approval is recorded.' });
    expect(texts(approvalDetailCanvas(recorded, german))).toContain('**Ihre Freigabe ist gespeichert; 1 weitere Freigabe ist nötig.**');
    expect(readable(decidedCanvas(decidedView('approved', { decidedBy: BY_POLICY }), german))).toContain('Automatisch freigegeben durch die Regel small-refunds');
  });

  it('translates every English message, with the same placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(GERMAN).sort()).toEqual(Object.keys(ENGLISH).sort());
    for (const [key, text] of Object.entries(ENGLISH)) expect(placeholders(GERMAN[key as keyof typeof ENGLISH]), key).toEqual(placeholders(text));
  });

  it('is chosen by the signed request\'s context.locale; anything else is English', () => {
    expect(canvasWords('de').language).toBe('de');
    expect(canvasWords('de_AT').language).toBe('de');
    expect(canvasWords('fr').language).toBe('en');
    expect(canvasWords(null).language).toBe('en');
  });
});

describe('through the canvas router', () => {
  const servers: CanvasServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  async function withQuorumRequest() {
    const server = await startCanvasServer();
    servers.push(server);
    const approval = approvalView({ policy: TWO_FROM_TEAM });
    server.backend.add(WORKSPACE, approval);
    return { server, approval };
  }
  const submit = (server: CanvasServer, componentId: string, overrides: Record<string, unknown> = {}) =>
    post(`${server.url}/intercom/canvas/submit`, JSON.stringify(submitBody(componentId, {}, overrides)));
  const canvasOf = (answer: { status: number; body: any }): CanvasObject => {
    expect(answer.status).toBe(200);
    return expectValidCanvas(answer.body.canvas);
  };

  it('an approval that does not settle shows the request again: recorded, 1 more needed, the buttons disabled', async () => {
    const { server, approval } = await withQuorumRequest();
    const canvas = canvasOf(await submit(server, `approve:${approval.approvalId}`));
    expect(server.backend.decisions).toHaveLength(1);
    expect(canvas.stored_data).toMatchObject({ view: 'detail', approvalId: approval.approvalId });
    expect(texts(canvas)).toContain('**Your approval is recorded; 1 more approval is needed.**');
    expect(readable(canvas)).toContain(`2 approvals needed: ${ADMIN.name} approved, 1 more from cfo@example.com or Intercom team 55.`);
    expect(readable(canvas).some((text) => /Someone else|went wrong|^Approved$/.test(text))).toBe(false);
    for (const decision of decisionButtons(canvas, approval.approvalId)) expect(decision?.disabled).toBe(true);
    expect((await server.backend.get(WORKSPACE, approval.approvalId))?.status).toBe('pending');
  });

  it('the same teammate approving again (a stale canvas) is told plainly, and nothing more is counted', async () => {
    const { server, approval } = await withQuorumRequest();
    await submit(server, `approve:${approval.approvalId}`);
    const canvas = canvasOf(await submit(server, `approve:${approval.approvalId}`));
    expect(texts(canvas)).toContain('**Your approval is recorded; 1 more approval is needed.**');
    expect((await server.backend.get(WORKSPACE, approval.approvalId))?.approvals).toHaveLength(1);
  });

  it('the second teammate\'s approval settles it: Approved, by both', async () => {
    const { server, approval } = await withQuorumRequest();
    await submit(server, `approve:${approval.approvalId}`);
    const canvas = canvasOf(await submit(server, `approve:${approval.approvalId}`, { admin: { ...ADMIN, id: 7002, name: 'Sam Teammate' } }));
    expect(texts(canvas)).toContain('**Approved**');
    expect(readable(canvas)).toContain(`Approved by ${ADMIN.name} and Sam Teammate`);
  });

  it('a teammate the rule does not name: opening shows the reason and disabled buttons; Reject and Edit open no form; a stale Approve is refused', async () => {
    const { server, approval } = await withQuorumRequest();
    server.backend.notEligible.set(String(ADMIN.id), NOT_ELIGIBLE_REASON);
    const opened = canvasOf(await submit(server, `open:${approval.approvalId}`));
    expect(texts(opened)).toContain('**You are not a reviewer for this request**');
    for (const decision of decisionButtons(opened, approval.approvalId)) expect(decision?.disabled).toBe(true);
    for (const verb of ['reject', 'edit']) {
      const canvas = canvasOf(await submit(server, `${verb}:${approval.approvalId}`));
      expect(canvas.stored_data).toMatchObject({ view: 'detail' });
      expect(ofType(canvas, 'textarea')).toHaveLength(0);
    }
    const refused = canvasOf(await submit(server, `approve:${approval.approvalId}`));
    expect(muted(refused)).toContain(NOT_ELIGIBLE_REASON);
    expect((await server.backend.get(WORKSPACE, approval.approvalId))?.approvals).toEqual([]);
  });

  it('speaks German when the signed request\'s context.locale is German', async () => {
    const { server, approval } = await withQuorumRequest();
    const list = canvasOf(await post(`${server.url}/intercom/canvas/initialize`, JSON.stringify(initializeBody({ context: { locale: 'de' } }))));
    expect(texts(list)).toContain('Freigabeanfragen');
    expect(ofType(list, 'list')[0]?.items[0]?.tertiary_text).toBe('Risiko: Hoch');
    const recorded = canvasOf(await submit(server, `approve:${approval.approvalId}`, { context: { locale: 'de' } }));
    expect(texts(recorded)).toContain('**Ihre Freigabe ist gespeichert; 1 weitere Freigabe ist nötig.**');
  });
});
