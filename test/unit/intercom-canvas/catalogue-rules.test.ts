// Rules of the catalogue that the OpenAPI file states in prose: 2–10 options, strict objects, the
// 64 KB limits, and the checkbox's singular `option`.
import { describe, expect, it } from 'vitest';
import { CanvasObject, CheckboxComponent, Component, DropdownComponent, SingleSelectComponent, SubmitResponse } from '@countersign/intercom-canvas';

const options = (count: number) => Array.from({ length: count }, (_, i) => ({ type: 'option', id: `o${i}`, text: `Option ${i}` }));

describe('the Canvas Kit catalogue schemas', () => {
  it.each([
    ['single-select', SingleSelectComponent],
    ['dropdown', DropdownComponent],
  ] as const)('%s takes 2 to 10 options, refusing 1 and 11', (type, schema) => {
    const select = (count: number) => ({ type, id: 'choice', options: options(count) });
    expect(schema.safeParse(select(1)).success).toBe(false);
    expect(schema.safeParse(select(2)).success).toBe(true);
    expect(schema.safeParse(select(10)).success).toBe(true);
    expect(schema.safeParse(select(11)).success).toBe(false);
    expect(Component.safeParse(select(11)).success).toBe(false);
  });

  it('checkbox options live in `option` (as the OpenAPI file says), at least one; `options` is refused', () => {
    expect(CheckboxComponent.safeParse({ type: 'checkbox', id: 'c', label: 'Pick', option: options(1) }).success).toBe(true);
    expect(CheckboxComponent.safeParse({ type: 'checkbox', id: 'c', label: 'Pick', option: [] }).success).toBe(false);
    expect(CheckboxComponent.safeParse({ type: 'checkbox', id: 'c', label: 'Pick', options: options(2) }).success).toBe(false);
  });

  it.each([
    { type: 'text', text: 'hi', colour: 'red' },
    { type: 'button', id: 'b', label: 'Go', action: { type: 'submit', url: 'https://x.test' } },
    { type: 'data-table', items: [{ type: 'field-value', field: 'a', value: 'b', id: 'x' }] },
    { type: 'spacer', size: 'xxl' },
    { type: 'text', text: 'hi', style: 'bold' },
    { type: 'divider', bottom_margin: 'small' },
    { type: 'image', url: 'https://x.test/i.png', width: 10 },
    { type: 'button', id: 'b', label: 'Go' },
    { type: 'heading', text: 'no such component' },
  ])('refuses %j', (component) => {
    expect(Component.safeParse(component).success).toBe(false);
  });

  it('accepts every component type in a documented form', () => {
    const components = [
      { type: 'text', text: '**Hi**', align: 'center', style: 'header', bottom_margin: 'none' },
      { type: 'button', id: 'b', label: 'Go', action: { type: 'url', url: 'https://x.test' }, style: 'link', disabled: false },
      { type: 'input', id: 'i', label: 'L', placeholder: 'P', value: 'V', save_state: 'failed', action: { type: 'submit' } },
      { type: 'textarea', id: 't', label: 'L', error: true },
      { type: 'single-select', id: 's', options: options(3), value: 'o1', action: { type: 'submit' } },
      { type: 'dropdown', id: 'd', options: options(2), save_state: 'saved' },
      { type: 'checkbox', id: 'c', label: 'Pick', option: options(2), value: ['o0'] },
      { type: 'list', items: [{ type: 'item', id: 'x', title: 'X', subtitle: 'Y', tertiary_text: 'Z', action: { type: 'submit' } }] },
      { type: 'data-table', items: [{ type: 'field-value', field: 'a', value: 'b' }] },
      { type: 'divider', bottom_margin: 'none' },
      { type: 'spacer', size: 'xl' },
      { type: 'image', url: 'https://x.test/i.png', width: 10, height: 10, align: 'full_width', rounded: true },
    ];
    expect(CanvasObject.safeParse({ content: { components } }).success).toBe(true);
  });

  it('refuses content or stored_data of 64 KB and more', () => {
    const big = 'x'.repeat(64 * 1024);
    expect(CanvasObject.safeParse({ content: { components: [{ type: 'text', text: big }] } }).success).toBe(false);
    expect(CanvasObject.safeParse({ content: { components: [] }, stored_data: { big } }).success).toBe(false);
    expect(CanvasObject.safeParse({ content: { components: [{ type: 'text', text: big.slice(0, 60_000) }] }, stored_data: { v: 1 } }).success).toBe(true);
  });

  it('a submit response may carry event {type: completed} and nothing else', () => {
    const canvas = { content: { components: [] } };
    expect(SubmitResponse.safeParse({ canvas, event: { type: 'completed' } }).success).toBe(true);
    expect(SubmitResponse.safeParse({ canvas, event: { type: 'done' } }).success).toBe(false);
    expect(SubmitResponse.safeParse({ canvas, extra: true }).success).toBe(false);
  });
});
