// The edit form's model: drafts per detail, typed back, merged into the full modifiedDetails.
import { describe, expect, test } from 'vitest';
import { applyEdits, draftsFor, type DetailDraft } from '../../zendesk-app/src/approvals/detail-edits';

const details = { orderId: '1234', amount: 49.99, qty: 2, gift: false, address: { city: 'Berlin' }, tags: ['a'], coupon: null };

function edit(drafts: DetailDraft[], key: string, value: string | boolean): DetailDraft[] {
  return drafts.map((draft) => (draft.key === key ? { ...draft, value } : draft));
}

describe('detail edits', () => {
  test('one draft per top-level detail, in order, typed by the original value', () => {
    expect(draftsFor(details)).toEqual([
      { key: 'orderId', kind: 'text', value: '1234' },
      { key: 'amount', kind: 'number', value: '49.99' },
      { key: 'qty', kind: 'number', value: '2' },
      { key: 'gift', kind: 'boolean', value: false },
      { key: 'address', kind: 'json', value: '{\n  "city": "Berlin"\n}' },
      { key: 'tags', kind: 'json', value: '[\n  "a"\n]' },
      { key: 'coupon', kind: 'empty', value: '' },
    ]);
  });

  test('untouched drafts change nothing', () => {
    expect(applyEdits(details, draftsFor(details))).toEqual({ modifiedDetails: null, changedKeys: [], problems: {} });
  });

  test('edits merge into the full details, keeping each value\'s type', () => {
    let drafts = draftsFor(details);
    drafts = edit(drafts, 'amount', ' 25 ');
    drafts = edit(drafts, 'orderId', '5678');
    drafts = edit(drafts, 'gift', true);
    drafts = edit(drafts, 'address', '{"city":"Hamburg"}');
    drafts = edit(drafts, 'coupon', 'SAVE10');
    const outcome = applyEdits(details, drafts);
    expect(outcome.problems).toEqual({});
    expect(outcome.changedKeys).toEqual(['orderId', 'amount', 'gift', 'address', 'coupon']);
    expect(outcome.modifiedDetails).toEqual({ orderId: '5678', amount: 25, qty: 2, gift: true, address: { city: 'Hamburg' }, tags: ['a'], coupon: 'SAVE10' });
  });

  test('a string that looks like a number stays a string', () => {
    const outcome = applyEdits({ orderId: '1234' }, [{ key: 'orderId', kind: 'text', value: '999' }]);
    expect(outcome.modifiedDetails).toEqual({ orderId: '999' });
  });

  test('reformatting a value without changing it is not an edit', () => {
    expect(applyEdits(details, edit(draftsFor(details), 'amount', '49.990')).changedKeys).toEqual([]);
    expect(applyEdits(details, edit(draftsFor(details), 'tags', '["a"]')).changedKeys).toEqual([]);
  });

  test.each([
    ['amount', 'twelve', 'not_a_number'],
    ['amount', '', 'not_a_number'],
    ['amount', '1e3', 'not_a_number'],
    ['amount', '12,50', 'not_a_number'],
    ['address', '{"city":', 'invalid_json'],
  ])('%s = %j is a problem (%s), and nothing is sent for it', (key, value, problem) => {
    const outcome = applyEdits(details, edit(draftsFor(details), key, value));
    expect(outcome.problems).toEqual({ [key]: problem });
    expect(outcome.changedKeys).not.toContain(key);
  });

  test('accepts negative and fractional numbers', () => {
    expect(applyEdits({ n: 1 }, [{ key: 'n', kind: 'number', value: '-0.5' }]).modifiedDetails).toEqual({ n: -0.5 });
    expect(applyEdits({ n: 1 }, [{ key: 'n', kind: 'number', value: '.5' }]).modifiedDetails).toEqual({ n: 0.5 });
  });
});
