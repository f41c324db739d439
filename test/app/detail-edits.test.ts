// The edit form's model: drafts per detail, read back with the shared detail-edit rule, sent as a
// merge patch holding only what changed.
import { describe, expect, test } from 'vitest';
import { applyMergePatch } from '@countersign/shared';
import { applyEdits, draftsFor, type DetailDraft } from '../../zendesk-app/src/approvals/detail-edits';

const details = { orderId: '1234', amount: 49.99, qty: 2, gift: false, address: { city: 'Berlin', zip: '10115' }, tags: ['a'], coupon: null };

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
      { key: 'address', kind: 'json', value: '{\n  "city": "Berlin",\n  "zip": "10115"\n}' },
      { key: 'tags', kind: 'json', value: '[\n  "a"\n]' },
      { key: 'coupon', kind: 'empty', value: '' },
    ]);
  });

  test('untouched drafts change nothing', () => {
    expect(applyEdits(details, draftsFor(details))).toEqual({ patch: null, changedKeys: [], problems: new Map() });
  });

  test('edits become a merge patch of only what changed, keeping each value\'s type', () => {
    let drafts = draftsFor(details);
    drafts = edit(drafts, 'amount', ' 25 ');
    drafts = edit(drafts, 'orderId', '5678');
    drafts = edit(drafts, 'gift', true);
    drafts = edit(drafts, 'address', '{"city":"Hamburg","zip":"10115"}');
    drafts = edit(drafts, 'coupon', 'SAVE10');
    const outcome = applyEdits(details, drafts);
    expect(outcome.problems.size).toBe(0);
    expect(outcome.changedKeys).toEqual(['orderId', 'amount', 'gift', 'address', 'coupon']);
    expect(outcome.patch).toEqual({ orderId: '5678', amount: 25, gift: true, address: { city: 'Hamburg' }, coupon: 'SAVE10' });
    expect(applyMergePatch(details, outcome.patch!)).toEqual({ ...details, orderId: '5678', amount: 25, gift: true, address: { city: 'Hamburg', zip: '10115' }, coupon: 'SAVE10' });
  });

  test('removing a field inside an object patches it with null', () => {
    const outcome = applyEdits(details, edit(draftsFor(details), 'address', '{"city":"Berlin"}'));
    expect(outcome.patch).toEqual({ address: { zip: null } });
  });

  test('a string that looks like a number stays a string', () => {
    const outcome = applyEdits({ orderId: '1234' }, [{ key: 'orderId', kind: 'text', value: '999' }]);
    expect(outcome.patch).toEqual({ orderId: '999' });
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
    ['amount', '99999999999999999999', 'unrepresentable_number'],
    ['qty', '9007199254740993', 'unrepresentable_number'],
    ['address', '{"city":', 'invalid_json'],
    ['address', '["Berlin"]', 'not_an_object'],
    ['tags', '{"a":1}', 'not_an_array'],
    ['address', '{"__proto__":{"admin":true}}', 'forbidden_key'],
    ['address', '{"city":null,"zip":"10115"}', 'null_removes'],
  ])('%s = %j is a problem (%s), and nothing is sent for it', (key, value, problem) => {
    const outcome = applyEdits(details, edit(draftsFor(details), key, value));
    expect([...outcome.problems]).toEqual([[key, problem]]);
    expect(outcome.changedKeys).not.toContain(key);
  });

  test('accepts negative and fractional numbers', () => {
    expect(applyEdits({ n: 1 }, [{ key: 'n', kind: 'number', value: '-0.5' }]).patch).toEqual({ n: -0.5 });
    expect(applyEdits({ n: 1 }, [{ key: 'n', kind: 'number', value: '.5' }]).patch).toEqual({ n: 0.5 });
  });

  test.each(Object.getOwnPropertyNames(Object.prototype))('a detail named "%s" is an ordinary detail', (name) => {
    const hostile = JSON.parse(`{${JSON.stringify(name)}: 1, "other": "x"}`) as Record<string, unknown>;
    const untouched = applyEdits(hostile, draftsFor(hostile));
    expect(untouched).toEqual({ patch: null, changedKeys: [], problems: new Map() });
    const changed = applyEdits(hostile, edit(draftsFor(hostile), name, '2'));
    expect(changed.changedKeys).toEqual([name]);
    expect(Object.entries(changed.patch!)).toEqual([[name, 2]]);
    expect(Object.getPrototypeOf(changed.patch)).toBe(Object.prototype);
  });
});
