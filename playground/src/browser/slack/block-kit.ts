// Block Kit as the Slack tab draws it: the blocks Countersign's messages and modals use (header,
// section with fields, context, actions with buttons, divider, and input blocks with plain text,
// number and radio-button elements), built from the real JSON with textContent only. A modal's inputs
// are read back as Slack's view.state.values: block id → action id → the element's state.
import { h } from '../dom';
import { mrkdwnNodes } from './slack-mrkdwn';

type Json = Record<string, any>;

export interface BlockHandlers {
  names: (userId: string) => string;
  /** A button was clicked (message blocks only). */
  onButton?: (actionId: string) => void;
}

export type StateValues = Record<string, Record<string, { type: string; value?: string | null; selected_option?: { value: string } | null }>>;

export function renderBlocks(blocks: unknown[], handlers: BlockHandlers): HTMLElement {
  return h('div', { className: 'slack-blocks' }, (blocks as Json[]).map((block) => renderBlock(block, handlers)));
}

function renderBlock(block: Json, handlers: BlockHandlers): HTMLElement {
  switch (block.type) {
    case 'header':
      return h('div', { className: 'slack-header', testId: 'slack-block-header', text: String(block.text?.text ?? '') });
    case 'section':
      return h('div', { className: 'slack-section', testId: 'slack-block-section' }, [
        block.text ? textObject(block.text, handlers) : null,
        Array.isArray(block.fields) ? h('div', { className: 'slack-fields' }, block.fields.map((field: Json) => h('div', { className: 'slack-field' }, [textObject(field, handlers)]))) : null,
      ]);
    case 'context':
      return h('div', { className: 'slack-context' }, (block.elements ?? []).map((element: Json) => textObject(element, handlers)));
    case 'actions':
      return h('div', { className: 'slack-actions', testId: 'slack-actions' }, (block.elements ?? []).filter((e: Json) => e.type === 'button').map((button: Json) => {
        const node = h('button', { className: `slack-button${button.style ? ` slack-button-${button.style}` : ''}`, testId: `slack-button-${button.action_id}`, text: String(button.text?.text ?? ''), attrs: { type: 'button' } });
        node.addEventListener('click', () => handlers.onButton?.(String(button.action_id)));
        return node;
      }));
    case 'divider':
      return h('hr', { className: 'slack-divider' });
    case 'input':
      return inputBlock(block);
    default:
      return h('div', { className: 'muted', text: `[a ${String(block.type)} block]` });
  }
}

function textObject(object: Json, handlers: BlockHandlers): HTMLElement {
  const node = h('div', { className: 'slack-text' });
  if (object.type === 'mrkdwn') node.append(...mrkdwnNodes(String(object.text ?? ''), handlers.names));
  else node.textContent = String(object.text ?? '');
  return node;
}

function inputBlock(block: Json): HTMLElement {
  const element: Json = block.element ?? {};
  const id = `slack-input-${String(block.block_id)}`;
  const label = h('label', { className: 'slack-input-label', text: `${String(block.label?.text ?? '')}${block.optional ? ' (optional)' : ''}`, attrs: { for: id } });
  let control: HTMLElement;
  if (element.type === 'radio_buttons') {
    control = h('div', { className: 'slack-radios', attrs: { id, role: 'radiogroup' } }, (element.options ?? []).map((option: Json) => {
      const radio = h('input', { attrs: { type: 'radio', name: id, value: String(option.value) } });
      radio.checked = element.initial_option?.value === option.value;
      return h('label', { className: 'slack-radio' }, [radio, ` ${String(option.text?.text ?? option.value)}`]);
    }));
  } else if (element.multiline) {
    const area = h('textarea', { attrs: { id, rows: '3' } });
    area.value = String(element.initial_value ?? '');
    control = area;
  } else {
    const input = h('input', { attrs: { id, type: element.type === 'number_input' ? 'number' : 'text', ...(element.type === 'number_input' ? { step: 'any' } : {}) } });
    input.value = String(element.initial_value ?? '');
    control = input;
  }
  const field = h('div', { className: 'slack-input', testId: 'slack-input', data: { blockId: String(block.block_id), actionId: String(element.action_id ?? ''), elementType: String(element.type ?? '') } }, [
    label,
    control,
    block.hint ? h('div', { className: 'slack-hint muted', text: String(block.hint.text ?? '') }) : null,
  ]);
  return field;
}

/** The inputs of a rendered modal, as Slack's view.state.values. */
export function readValues(root: HTMLElement): StateValues {
  const values: StateValues = {};
  for (const field of root.querySelectorAll<HTMLElement>('[data-testid=slack-input]')) {
    const { blockId, actionId, elementType } = field.dataset;
    if (!blockId || !actionId || !elementType) continue;
    if (elementType === 'radio_buttons') {
      const checked = field.querySelector<HTMLInputElement>('input[type=radio]:checked');
      values[blockId] = { [actionId]: { type: elementType, selected_option: checked ? { value: checked.value } : null } };
    } else {
      const control = field.querySelector<HTMLInputElement | HTMLTextAreaElement>('input, textarea');
      const typed = control?.value ?? '';
      values[blockId] = { [actionId]: { type: elementType, value: typed === '' ? null : typed } };
    }
  }
  return values;
}
