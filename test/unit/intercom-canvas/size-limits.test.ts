// Canvas Kit refuses content or stored_data of 64 KB: huge requests are shortened, then offered in
// full through the backend's link; they never exceed the limit, whatever the shape of the excess.
import { describe, expect, it } from 'vitest';
import { approvalDetailCanvas, approvalListCanvas, decidedCanvas, editCanvas, rejectCanvas, type CanvasObject } from '@countersign/intercom-canvas';
import { approvalView, decidedView } from './support/approvals';
import { bytes, ofType, texts } from './support/canvas-json';
import { expectValidCanvas } from './support/valid-canvas';

const LINK = 'https://countersign.test/approvals/apr_big/view?t=signed';
const options = { link: LINK, conversationId: '215467' };
const MB = 1024 * 1024;

const HUGE_DETAILS: Record<string, Record<string, unknown>> = {
  'one 1 MB string': { blob: 'x'.repeat(MB) },
  '20,000 keys': Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`key_${i}`, `value ${i} `.repeat(5)])),
  '1 MB of lone surrogates (6 JSON bytes each)': { blob: '\ud800'.repeat(MB / 2) },
  '1 MB of emoji': { blob: '😀'.repeat(MB / 4) },
  'a deep object': { nested: JSON.parse(`${'{"a":'.repeat(30)}"${'y'.repeat(MB)}"${'}'.repeat(30)}`) },
  '40 keys of 30 KB control characters': Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, '\u0001'.repeat(30_000)])),
  'long keys': Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`${i}`.padEnd(5000, 'k'), i])),
};

function expectFullRequestLink(canvas: CanvasObject): void {
  const links = ofType(canvas, 'button').filter((button) => button.action.type === 'url');
  expect(links.map((button) => [button.label, button.action])).toEqual([['Open the full request', { type: 'url', url: LINK }]]);
}

describe.each(Object.entries(HUGE_DETAILS))('details with %s', (_name, details) => {
  expect(bytes(details)).toBeGreaterThan(MB / 2);
  const pending = approvalView({ approvalId: 'apr_big', details, summary: 's'.repeat(MB), justification: 'j'.repeat(MB), action: 'a'.repeat(MB), agentName: 'n'.repeat(MB) });

  it('the detail canvas stays below 64 KB and links the full request', () => {
    const canvas = expectValidCanvas(approvalDetailCanvas(pending, options));
    expectFullRequestLink(canvas);
    expect(ofType(canvas, 'button').map((b) => b.id)).toEqual(expect.arrayContaining(['approve:apr_big', 'reject:apr_big', 'edit:apr_big', 'back']));
  });

  it('the edit canvas stays below 64 KB and sends what it cannot show unchanged', () => {
    const canvas = expectValidCanvas(editCanvas(pending, options));
    expectFullRequestLink(canvas);
    for (const input of ofType(canvas, 'input')) expect(input.value?.length ?? 0).toBeLessThanOrEqual(1000);
  });

  it('the decided canvas (all details changed) stays below 64 KB', () => {
    const changed = Object.fromEntries(Object.keys(details).map((key) => [key, 'changed']));
    const canvas = expectValidCanvas(decidedCanvas(decidedView('approved', { ...pending, status: 'approved', modifiedDetails: changed, decisionNote: 'n'.repeat(MB) }), options));
    expectFullRequestLink(canvas);
  });

  it('the list and reject canvases stay below 64 KB', () => {
    expectValidCanvas(approvalListCanvas(Array.from({ length: 25 }, () => ({ ...pending, approvalId: `apr_${Math.random()}` })), '215467'));
    expectValidCanvas(rejectCanvas(pending, options, { note: 'n'.repeat(MB), problem: 'p'.repeat(MB) }));
  });
});

describe('shortening', () => {
  it('caps values at 300 characters and rows at 40, then "… N more fields"', () => {
    const details = Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`k${i}`, 'v'.repeat(1000)]));
    const canvas = expectValidCanvas(approvalDetailCanvas(approvalView({ details }), options));
    const rows = ofType(canvas, 'data-table')[1]?.items ?? [];
    expect(rows).toHaveLength(41);
    expect(rows[0]?.value).toHaveLength(300);
    expect(rows[0]?.value.endsWith('…')).toBe(true);
    expect(rows.at(-1)).toEqual({ type: 'field-value', field: '…', value: '5 more fields' });
    expectFullRequestLink(canvas);
  });

  it('says the canvas is shortened when the backend has no link', () => {
    const canvas = expectValidCanvas(approvalDetailCanvas(approvalView({ details: { blob: 'x'.repeat(MB) } }), { link: null, conversationId: null }));
    expect(ofType(canvas, 'button').filter((b) => b.action.type === 'url')).toHaveLength(0);
    expect(texts(canvas)).toContain('Shortened to fit the inbox: long values and extra fields are not shown.');
  });

  it('drops the detail rows before exceeding the limit', () => {
    // 40 rows of 300 six-byte characters (~72 KB) do not fit at the first level.
    const details = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, '\u0001'.repeat(400)]));
    const canvas = expectValidCanvas(approvalDetailCanvas(approvalView({ details }), options));
    const rows = ofType(canvas, 'data-table')[1]?.items ?? [];
    expect(rows.length).toBeLessThan(41);
    expect(rows.at(-1)?.field).toBe('…');
  });
});
