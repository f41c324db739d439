// Every builder's output validates as a Canvas Kit response for arbitrary approvals: unicode (lone
// surrogates included), huge strings, nested objects, many keys, rules naming hundreds of reviewers,
// reviewers' access in every state, in English and German.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyDetailEdits,
  approvalDetailCanvas,
  approvalListCanvas,
  canvasWords,
  conflictCanvas,
  decidedCanvas,
  editCanvas,
  rejectCanvas,
} from '@countersign/intercom-canvas';
import type { ApprovalView } from '@countersign/shared';
import { approvalView } from './support/approvals';
import { ofType } from './support/canvas-json';
import { expectValidCanvas } from './support/valid-canvas';

const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom('*', '[', ']', '(', ')', '<', '`', '\n', '\u202e', '\u0000', '😀', '\ud800'), maxLength: 100 }),
  fc.nat({ max: 200_000 }).map((n) => 'ä'.repeat(n)),
);
const detailValue = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 2, arbitrary: anyText },
  { weight: 1, arbitrary: fc.array(anyText, { maxLength: 50 }) },
);
const details = fc.oneof(
  fc.dictionary(anyText, detailValue, { maxKeys: 30 }),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: 20 }), { minKeys: 100, maxKeys: 600 }),
);
const reviewer = fc.record({ id: fc.string({ minLength: 1, maxLength: 10 }), name: anyText, via: fc.constantFrom('intercom' as const, 'zendesk' as const, 'api' as const, 'policy' as const) });
// A rule's reviewers as the policy schema admits them: up to 200 entries of each kind.
const listOf = (entry: fc.Arbitrary<string>) => fc.option(fc.array(entry, { minLength: 1, maxLength: 200 }), { nil: undefined });
const listedText = anyText.filter((text) => text.trim().length > 0 && text.length <= 320);
const policy = fc.option(
  fc.record({
    ruleId: fc.option(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/)),
    version: fc.nat({ max: 1000 }),
    approvalsRequired: fc.integer({ min: 1, max: 5 }),
    reviewers: fc.option(
      fc.record({
        ids: listOf(fc.stringMatching(/^(api|zendesk|intercom|slack):[^\s:][^\s]{0,127}$/)),
        emails: listOf(fc.stringMatching(/^[^\s@]{1,100}@[^\s@]{1,100}$/)),
        zendeskGroups: listOf(listedText),
        zendeskRoles: listOf(listedText),
        intercomTeams: listOf(listedText),
      }),
    ),
  }),
);
const votes = fc.array(fc.record({ reviewer, at: fc.constant('2026-11-23T18:55:00.000Z') }), { maxLength: 5 });
const access = fc.oneof(
  fc.constant({}),
  fc.record({ canDecide: fc.boolean(), cannotDecideReason: fc.option(anyText), cannotDecideCode: fc.option(fc.constantFrom('reviewer_not_eligible', 'self_approval', 'already_approved', 'not_pending', 'other')) }),
);

const approvals = fc
  .record({
    approvalId: fc.stringMatching(/^apr_[0-9a-z]{1,26}$/),
    action: anyText,
    summary: anyText,
    justification: fc.option(anyText),
    agentName: fc.option(anyText),
    riskLevel: fc.constantFrom('low' as const, 'medium' as const, 'high' as const, 'critical' as const),
    details,
    decisionNote: fc.option(anyText),
    decidedBy: fc.option(reviewer),
    modifiedDetails: fc.option(details),
    policy,
    approvals: votes,
    access,
  })
  .map(({ access: seen, ...fields }): ApprovalView => approvalView({ ...fields, ...seen }));

const options = fc.record({
  link: fc.option(fc.webUrl()),
  conversationId: fc.option(fc.stringMatching(/^[0-9]{1,12}$/)),
  words: fc.constantFrom(canvasWords('en'), canvasWords('de')),
});

describe('builders over arbitrary approvals', () => {
  it('every view is a valid Canvas Kit canvas below 64 KB', () => {
    fc.assert(
      fc.property(approvals, options, anyText, (approval, canvasOptions, typed) => {
        const pending: ApprovalView = { ...approval, status: 'pending' };
        const decided: ApprovalView = { ...approval, status: 'approved', decidedAt: '2026-11-23T19:00:00.000Z' };
        expectValidCanvas(approvalListCanvas([pending, decided, pending], canvasOptions.conversationId ?? '1', canvasOptions.words));
        expectValidCanvas(approvalDetailCanvas(pending, canvasOptions));
        expectValidCanvas(approvalDetailCanvas(pending, canvasOptions, { text: typed, error: true }));
        expectValidCanvas(rejectCanvas(pending, canvasOptions, { note: typed, problem: typed }));
        expectValidCanvas(editCanvas(pending, canvasOptions));
        const firstKey = Object.keys(pending.details)[0] ?? 'none';
        expectValidCanvas(editCanvas(pending, canvasOptions, { typed: { [firstKey]: typed }, problems: [{ key: firstKey, message: typed }], note: typed, noteProblem: typed }));
        expectValidCanvas(decidedCanvas(decided, canvasOptions));
        expectValidCanvas(conflictCanvas(decided, canvasOptions));
      }),
      { numRuns: 150 },
    );
  });

  it('submitting the edit form untouched changes nothing', () => {
    fc.assert(
      fc.property(approvals, (approval) => {
        const canvas = editCanvas({ ...approval, status: 'pending' }, { link: null, conversationId: null });
        const inputValues = Object.fromEntries(ofType(canvas, 'input').map((input) => [input.id, input.value ?? '']));
        expect(applyDetailEdits(approval.details, inputValues)).toMatchObject({ ok: true, patch: undefined });
      }),
      { numRuns: 200 },
    );
  });
});
