// Every builder's output validates as a Canvas Kit response for arbitrary approvals: unicode (lone
// surrogates included), huge strings, nested objects, many keys.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyDetailEdits,
  approvalDetailCanvas,
  approvalListCanvas,
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
const reviewer = fc.record({ id: fc.string({ minLength: 1, maxLength: 10 }), name: anyText, via: fc.constantFrom('intercom' as const, 'zendesk' as const, 'api' as const) });

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
  })
  .map((fields): ApprovalView => approvalView(fields));

const options = fc.record({ link: fc.option(fc.webUrl()), conversationId: fc.option(fc.stringMatching(/^[0-9]{1,12}$/)) });

describe('builders over arbitrary approvals', () => {
  it('every view is a valid Canvas Kit canvas below 64 KB', () => {
    fc.assert(
      fc.property(approvals, options, anyText, (approval, canvasOptions, typed) => {
        const pending: ApprovalView = { ...approval, status: 'pending' };
        const decided: ApprovalView = { ...approval, status: 'approved', decidedAt: '2026-11-23T19:00:00.000Z' };
        expectValidCanvas(approvalListCanvas([pending, decided, pending], canvasOptions.conversationId ?? '1'));
        expectValidCanvas(approvalDetailCanvas(pending, canvasOptions));
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
