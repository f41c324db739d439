// Each view's canvas: valid Canvas Kit, the documented component ids, the facts a teammate needs.
import { describe, expect, it } from 'vitest';
import {
  approvalDetailCanvas,
  approvalListCanvas,
  conflictCanvas,
  decidedCanvas,
  editCanvas,
  errorCanvas,
  noConversationCanvas,
  notConnectedCanvas,
  notFoundCanvas,
  rejectCanvas,
} from '@countersign/intercom-canvas';
import { approvalView, decidedView } from './support/approvals';
import { buttonIds, ofType, texts } from './support/canvas-json';
import { unescapeMarkdown } from './support/inline-markdown';
import { expectValidCanvas } from './support/valid-canvas';

const options = { link: 'https://countersign.test/approvals/x/view?t=1', conversationId: '215467' };

describe('the list canvas', () => {
  it('lists pending requests (title = action, subtitle = summary, tertiary = risk), counts them, offers Refresh', () => {
    const refund = approvalView({ action: 'process_refund', summary: 'Refund #1', riskLevel: 'high' });
    const cancel = approvalView({ action: 'cancel_subscription', summary: 'Cancel plan', riskLevel: 'low' });
    const canvas = expectValidCanvas(approvalListCanvas([refund, cancel], '215467'));
    const [list] = ofType(canvas, 'list');
    expect(list?.items).toEqual([
      { type: 'item', id: `open:${refund.approvalId}`, title: 'process_refund', subtitle: 'Refund #1', tertiary_text: 'High risk', action: { type: 'submit' } },
      { type: 'item', id: `open:${cancel.approvalId}`, title: 'cancel_subscription', subtitle: 'Cancel plan', tertiary_text: 'Low risk', action: { type: 'submit' } },
    ]);
    expect(texts(canvas)).toContain('2 requests wait for a decision.');
    expect(buttonIds(canvas)).toEqual(['refresh']);
    expect(canvas.stored_data).toEqual({ v: 1, view: 'list', conversationId: '215467' });
  });

  it('shows recently decided requests as one muted line, not as list items', () => {
    const pending = approvalView();
    const approved = decidedView('approved', { action: 'cancel_plan' });
    const canvas = expectValidCanvas(approvalListCanvas([pending, approved], '215467'));
    expect(ofType(canvas, 'list')[0]?.items.map((item) => item.id)).toEqual([`open:${pending.approvalId}`]);
    const muted = ofType(canvas, 'text').filter((t) => t.style === 'muted').map((t) => t.text);
    expect(muted).toContain('Recently decided: cancel\\_plan approved by Ana Teammate.');
  });

  it('with nothing pending shows the empty canvas with Refresh', () => {
    const canvas = expectValidCanvas(approvalListCanvas([decidedView('rejected')], '215467'));
    expect(ofType(canvas, 'list')).toHaveLength(0);
    expect(texts(canvas)).toContain('No approval requests are waiting in this conversation.');
    expect(buttonIds(canvas)).toEqual(['refresh']);
    expect(canvas.stored_data).toMatchObject({ view: 'empty' });
  });
});

describe('the detail canvas', () => {
  const approval = approvalView({ details: { orderId: '1234', amount: 49.99, notify: true, items: [{ sku: 'A-1' }], note: null } });
  const canvas = expectValidCanvas(approvalDetailCanvas(approval, options));

  it('shows action, risk, summary, requester, expiry and justification', () => {
    expect(texts(canvas)).toEqual(expect.arrayContaining(['process\\_refund', '**Risk: High**', '**Justification:** The customer was charged twice.']));
    const facts = ofType(canvas, 'data-table')[0]?.items;
    expect(facts).toEqual([
      { type: 'field-value', field: 'Requested by', value: 'Fin' },
      { type: 'field-value', field: 'Expires', value: '2026-11-24 18:52 UTC' },
    ]);
  });

  it('shows details as a data-table, non-strings as JSON', () => {
    expect(ofType(canvas, 'data-table')[1]?.items).toEqual([
      { type: 'field-value', field: 'orderId', value: '1234' },
      { type: 'field-value', field: 'amount', value: '49.99' },
      { type: 'field-value', field: 'notify', value: 'true' },
      { type: 'field-value', field: 'items', value: '[{"sku":"A-1"}]' },
      { type: 'field-value', field: 'note', value: 'null' },
    ]);
  });

  it('offers Approve, Edit, Reject and Back, and no full-request link when nothing was shortened', () => {
    expect(buttonIds(canvas)).toEqual([`approve:${approval.approvalId}`, `edit:${approval.approvalId}`, `reject:${approval.approvalId}`, 'back']);
    expect(canvas.stored_data).toEqual({ v: 1, view: 'detail', approvalId: approval.approvalId, conversationId: '215467' });
  });
});

describe('the reject canvas', () => {
  it('has a note textarea, Confirm rejection and Cancel (back to the request)', () => {
    const approval = approvalView();
    const canvas = expectValidCanvas(rejectCanvas(approval, options));
    expect(ofType(canvas, 'textarea')).toEqual([expect.objectContaining({ type: 'textarea', id: 'note', label: expect.any(String) })]);
    expect(buttonIds(canvas)).toEqual([`reject-confirm:${approval.approvalId}`, `open:${approval.approvalId}`]);
  });

  it('comes back with the typed note and the problem', () => {
    const canvas = expectValidCanvas(rejectCanvas(approvalView(), options, { note: 'too long…', problem: 'Keep it to 5000.' }));
    expect(ofType(canvas, 'textarea')[0]).toMatchObject({ value: 'too long…', error: true });
    expect(ofType(canvas, 'text').filter((t) => t.style === 'error')).toHaveLength(1);
  });
});

describe('the edit canvas', () => {
  const approval = approvalView({ details: { orderId: '1234', amount: 49.99, notify: true, items: [{ sku: 'A-1' }] } });

  it('has one input per top-level key, prefilled (non-strings as JSON), a note, Approve with changes and Cancel', () => {
    const canvas = expectValidCanvas(editCanvas(approval, options));
    expect(ofType(canvas, 'input').map(({ id, label, value }) => ({ id, label, value }))).toEqual([
      { id: 'detail:orderId', label: 'orderId', value: '1234' },
      { id: 'detail:amount', label: 'amount', value: '49.99' },
      { id: 'detail:notify', label: 'notify', value: 'true' },
      { id: 'detail:items', label: 'items', value: '[{"sku":"A-1"}]' },
    ]);
    expect(ofType(canvas, 'textarea').map((t) => t.id)).toEqual(['note']);
    expect(buttonIds(canvas)).toEqual([`edit-approve:${approval.approvalId}`, `open:${approval.approvalId}`]);
  });

  it('comes back with what was typed, the failed field marked and named', () => {
    const canvas = expectValidCanvas(
      editCanvas(approval, options, { typed: { amount: 'lots' }, problems: [{ key: 'amount', message: '“amount” must be a number, like 42 or 12.5.' }] }),
    );
    expect(ofType(canvas, 'input').find((input) => input.id === 'detail:amount')).toMatchObject({ value: 'lots', save_state: 'failed' });
    expect(ofType(canvas, 'text').filter((t) => t.style === 'error').map((t) => t.text)).toEqual(['“amount” must be a number, like 42 or 12.5.']);
  });

  it('shows long and multi-line values read-only instead of as inputs', () => {
    const canvas = expectValidCanvas(editCanvas(approvalView({ details: { short: 'ok', long: 'y'.repeat(5000), lines: 'a\nb' } }), options));
    expect(ofType(canvas, 'input').map((input) => input.id)).toEqual(['detail:short']);
    expect(texts(canvas)).toContain('Too long to edit here; sent unchanged:');
    expect(ofType(canvas, 'data-table').at(-1)?.items.map((item) => item.field)).toEqual(['long', 'lines']);
  });
});

describe('the decided and conflict canvases', () => {
  it('show status, who, when, note and the changed details, with Back', () => {
    const approval = decidedView('approved', {
      details: { amount: 100, currency: 'EUR' },
      modifiedDetails: { amount: 80, currency: 'EUR' },
      decisionNote: 'Partial refund only',
    });
    const canvas = expectValidCanvas(decidedCanvas(approval, options));
    expect(texts(canvas)).toEqual(expect.arrayContaining(['**Approved**', 'Decided by Ana Teammate \\(ana\\@example.com\\)', '**Note**', 'Partial refund only', '**Changed details**']));
    const tables = ofType(canvas, 'data-table').map((table) => table.items.map((item) => [item.field, item.value]));
    expect(tables).toEqual([[['Decided at', '2026-11-23 19:00 UTC']], [['amount', '80']]]);
    expect(buttonIds(canvas)).toEqual(['back']);
    expect(canvas.stored_data).toMatchObject({ view: 'decided', approvalId: approval.approvalId });
  });

  it('show the whole note, line by line, and the whole reviewer, in text components that wrap', () => {
    const paragraph = 'Refund needs the billing team to confirm the duplicate charge first; ask them in #billing and attach the receipt. '.repeat(8).trim();
    const note = [paragraph, '', 'Second line: then approve it again.', paragraph].join('\n');
    const name = `Ana ${'Maria '.repeat(30).trim()} Teammate`;
    const approval = decidedView('rejected', { decisionNote: note, decidedBy: { id: '7', name, email: 'ana.maria.teammate@billing.example.com', via: 'intercom' } });
    const canvas = expectValidCanvas(decidedCanvas(approval, options));
    const shown = texts(canvas).map(unescapeMarkdown);
    expect(shown).toContain(`Decided by ${name} (ana.maria.teammate@billing.example.com)`);
    const noteAt = shown.indexOf('**Note**');
    expect(shown.slice(noteAt + 1, noteAt + 4)).toEqual([paragraph, 'Second line: then approve it again.', paragraph]);
    expect(JSON.stringify(canvas)).not.toContain('…');
    expect(ofType(canvas, 'button').filter((button) => button.action.type === 'url')).toEqual([]);
  });

  it('show a note of the longest a decision allows whole; many lines share the last text component', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i}`);
    const canvas = expectValidCanvas(decidedCanvas(decidedView('rejected', { decisionNote: lines.join('\n') }), options));
    const shown = texts(canvas);
    expect(shown.slice(shown.indexOf('**Note**') + 1).join(' ')).toBe(lines.join(' '));
    expect(shown.length).toBeLessThan(40);
    const longest = 'n'.repeat(5000);
    expect(texts(expectValidCanvas(decidedCanvas(decidedView('rejected', { decisionNote: longest }), options)))).toContain(longest);
  });

  it('conflict: says who decided first and how', () => {
    const canvas = expectValidCanvas(conflictCanvas(decidedView('rejected', { decidedBy: { id: '7', name: 'Bo', via: 'zendesk' } }), options));
    expect(ofType(canvas, 'text')[0]).toEqual({ type: 'text', text: 'Someone else decided first: Bo rejected this request.', style: 'error' });
    expect(canvas.stored_data).toMatchObject({ view: 'conflict' });
  });

  it('an expired request is described without a decider', () => {
    const canvas = expectValidCanvas(decidedCanvas(approvalView({ status: 'expired', decidedAt: '2026-11-24T18:52:00.000Z' }), options));
    expect(texts(canvas)).toContain('**Expired**');
    expect(ofType(canvas, 'data-table')[0]?.items).toEqual([{ type: 'field-value', field: 'Closed at', value: '2026-11-24 18:52 UTC' }]);
    expect(texts(canvas).join(' ')).not.toContain('Decided by');
  });
});

describe('notice canvases', () => {
  it('not connected: asks for the Countersign admin and links the install URL', () => {
    const canvas = expectValidCanvas(notConnectedCanvas('https://countersign.test/intercom/oauth/start', 'ic_123'));
    expect(texts(canvas).join(' ')).toContain('Ask your Countersign admin to connect this Intercom workspace');
    expect(ofType(canvas, 'button').find((b) => b.action.type === 'url')?.action).toEqual({ type: 'url', url: 'https://countersign.test/intercom/oauth/start' });
  });

  it('error: Try again reopens the request when there was one, else refreshes the list', () => {
    expect(buttonIds(expectValidCanvas(errorCanvas({ approvalId: 'apr_1', conversationId: '9' })))).toEqual(['open:apr_1']);
    expect(buttonIds(expectValidCanvas(errorCanvas()))).toEqual(['refresh']);
  });

  it('not found and no conversation are valid canvases', () => {
    expect(buttonIds(expectValidCanvas(notFoundCanvas('9')))).toEqual(['back']);
    expect(buttonIds(expectValidCanvas(noConversationCanvas()))).toEqual([]);
  });
});
