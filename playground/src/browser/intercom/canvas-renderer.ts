// Renders Canvas Kit JSON (a canvas object's content.components) into the inbox side panel, the way
// Intercom's inbox shows an app: every component of the catalogue, input values collected for submit
// actions, url actions opened in a new tab. Untrusted strings only ever reach the DOM as text nodes
// (labels, values, table cells) or through canvas-markdown.ts (text components).
//
// The component types are the catalogue's (@countersign/intercom-canvas), but a canvas reaches the
// panel unchecked, as it reaches Intercom's: every value that styles or wires an element is checked
// here, and an unknown type or option shows as such instead of breaking the panel.
import type { CanvasObject, Component, ComponentType, Option } from '@countersign/intercom-canvas';
import { h } from '../dom';
import { markdownNodes } from './canvas-markdown';

/** Every `type` of the Canvas Kit component catalogue (OpenAPI 2.11 `component` oneOf). */
export const COMPONENT_TYPES = ['text', 'button', 'input', 'textarea', 'single-select', 'dropdown', 'checkbox', 'list', 'data-table', 'divider', 'spacer', 'image'] as const satisfies readonly ComponentType[];

const TEXT_STYLES = ['header', 'paragraph', 'muted', 'error'] as const;
const ALIGNS = ['left', 'center', 'right'] as const;
const BUTTON_STYLES = ['primary', 'secondary', 'link'] as const;
const SPACER_SIZES = ['xs', 's', 'm', 'l', 'xl'] as const;
const IMAGE_ALIGNS = ['left', 'center', 'right', 'full_width'] as const;

/** A canvas as the panel gets it: a canvas object, or a live canvas (content_url) without content. */
export type ShownCanvas = Partial<CanvasObject> | null | undefined;

export interface CanvasHandlers {
  onSubmit?: (componentId: string, inputValues: Record<string, unknown>) => void;
  onUrl?: (url: string) => void;
  onNotice?: (message: string) => void;
}

/** What the component renderers share: input fields to collect, and the actions they trigger. */
interface RenderContext {
  field: (id: string, read: () => unknown) => void;
  submit: (componentId: string) => void;
  action: (action: unknown, componentId: string) => void;
}

type Renderer<C extends Component> = (component: C, context: RenderContext, key: string) => HTMLElement;

/** `value` when it is one of `allowed`, else `fallback`. */
function oneOf<T extends string>(allowed: readonly T[], value: unknown, fallback: T): T {
  return (allowed as readonly unknown[]).includes(value) ? (value as T) : fallback;
}

/** Only web URLs open from a canvas (never javascript:, data: or the like). */
export function safeWebUrl(raw: unknown): string | null {
  try {
    const url = new URL(String(raw));
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Image sources: web URLs and inline raster images (no SVG: it can carry script when opened). */
function safeImageSource(raw: unknown): string | null {
  const text = String(raw ?? '');
  if (/^data:image\/(png|gif|jpeg|webp);base64,[a-z0-9+/=]+$/i.test(text)) return text;
  return safeWebUrl(text);
}

function openUrl(raw: unknown): boolean {
  const url = safeWebUrl(raw);
  if (url) window.open(url, '_blank', 'noopener,noreferrer');
  return url !== null;
}

const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value));
const px = (value: unknown): string | null => (Number.isFinite(Number(value)) && Number(value) > 0 ? String(Math.round(Number(value))) : null);

/** Renders `canvas.content.components` into `root` (replacing what was there). */
export function renderCanvas(root: HTMLElement, canvas: ShownCanvas, handlers: CanvasHandlers = {}): { inputValues: () => Record<string, unknown> } {
  const fields: Array<{ id: string; read: () => unknown }> = [];
  const notice = (message: string) => (handlers.onNotice ?? console.warn)(message);
  const context: RenderContext = {
    field: (id, read) => fields.push({ id, read }),
    submit: (componentId) => handlers.onSubmit?.(componentId, inputValues()),
    action: (action, componentId) => {
      if (!action || typeof action !== 'object') return;
      const { type, url } = action as { type?: unknown; url?: unknown };
      if (type === 'submit') context.submit(componentId);
      else if (type === 'url') {
        if (handlers.onUrl) {
          const safe = safeWebUrl(url);
          if (safe) handlers.onUrl(safe);
          else notice(`Refused to open "${str(url)}": not a web URL.`);
        } else if (!openUrl(url)) notice(`Refused to open "${str(url)}": not a web URL.`);
      } else if (type === 'sheet') notice('Sheet actions exist only in the Messenger, not in the inbox.');
      else notice(`Unknown action type "${str(type)}".`);
    },
  };
  const inputValues = () => {
    const values: Record<string, unknown> = {};
    for (const { id, read } of fields) {
      const value = read();
      if (value !== undefined) values[id] = value;
    }
    return values;
  };

  const nodes: HTMLElement[] = [];
  if (canvas?.content_url && !canvas?.content) {
    nodes.push(h('p', { className: 'ck-text ck-text-error', data: { componentType: 'text' }, text: 'This canvas uses content_url (a live canvas), which Intercom shows only in the Messenger.' }));
  }
  const components: unknown[] = Array.isArray(canvas?.content?.components) ? canvas.content.components : [];
  components.forEach((component, index) => nodes.push(renderComponent(component, context, `ck-${index}`)));
  root.replaceChildren(...nodes);
  return { inputValues };
}

function renderComponent(component: unknown, context: RenderContext, key: string): HTMLElement {
  const fields = (component !== null && typeof component === 'object' ? component : {}) as Partial<Record<string, unknown>>;
  const type = str(fields.type);
  const render = rendererFor(type);
  if (!render) {
    return h('div', { className: 'ck-unsupported', data: { componentType: type || 'unknown' }, text: `Unsupported component "${type}"` });
  }
  const node = render(component as Component, context, key);
  node.dataset.componentType = type;
  node.classList.add('ck-component');
  if (fields.bottom_margin === 'none') node.classList.add('ck-no-margin');
  return node;
}

/** Sets data-component-id on the element that stands for the component (the control, for inputs). */
function withId<E extends HTMLElement>(node: E, component: { id?: string }): E {
  if (component.id !== undefined && component.id !== null) node.dataset.componentId = str(component.id);
  return node;
}

function labelFor(text: unknown, controlId: string): HTMLLabelElement | null {
  return text ? h('label', { className: 'ck-label', text: str(text), attrs: { for: controlId } }) : null;
}

function saveStateMark(component: { save_state?: string }): HTMLSpanElement | null {
  if (component.save_state === 'saved') return h('span', { className: 'ck-save ck-save-saved', text: '✓ Saved', data: { saveState: 'saved' } });
  if (component.save_state === 'failed') return h('span', { className: 'ck-save ck-save-failed', text: '✗ Failed', data: { saveState: 'failed' } });
  return null;
}

/** An array the canvas holds, or none when it holds something else there. */
const listOf = <T>(value: readonly T[] | undefined): readonly T[] => (Array.isArray(value) ? value : []);

let uniqueCounter = 0;
const domId = (key: string) => `${key}-${(uniqueCounter += 1)}`;

/** Intercom's Inbox tutorial writes a checkbox's options as `options`; the schema's `option` comes first. */
type ArrivingCheckbox = Extract<Component, { type: 'checkbox' }> & { options?: Option[] };

const RENDERERS: { [T in ComponentType]: Renderer<Extract<Component, { type: T }>> } = {
  text(component) {
    const style = oneOf(TEXT_STYLES, component.style, 'paragraph');
    const align = oneOf(ALIGNS, component.align, 'left');
    const node = h(style === 'header' ? 'h3' : 'p', { className: `ck-text ck-text-${style} ck-align-${align}`, data: { style, align } });
    node.append(...markdownNodes(component.text));
    return withId(node, component);
  },

  button(component, context) {
    const style = oneOf(BUTTON_STYLES, component.style, 'primary');
    const button = h('button', { className: `ck-button ck-button-${style}`, text: str(component.label), attrs: { type: 'button' }, data: { style, actionType: str(component.action?.type) } });
    button.disabled = component.disabled === true;
    button.addEventListener('click', () => context.action(component.action, str(component.id)));
    return withId(button, component);
  },

  input(component, context, key) {
    const id = domId(key);
    const saved = component.save_state === 'saved';
    const input = h('input', { className: 'ck-input', attrs: { id, type: 'text', placeholder: str(component.placeholder), autocomplete: 'off' } });
    input.value = str(component.value);
    input.disabled = component.disabled === true || saved;
    withId(input, component);
    context.field(str(component.id), () => input.value);
    const row = h('div', { className: 'ck-input-row' }, [input]);
    if (component.action) {
      const go = h('button', { className: 'ck-input-action', text: '→', attrs: { type: 'button', 'aria-label': component.label ? `Submit ${component.label}` : 'Submit' }, data: { role: 'input-action' } });
      go.disabled = input.disabled;
      go.addEventListener('click', () => context.action(component.action, str(component.id)));
      input.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' && !input.disabled) context.action(component.action, str(component.id));
      });
      row.append(go);
    }
    if (component.save_state === 'failed') input.setAttribute('aria-invalid', 'true');
    return h('div', { className: 'ck-field' }, [labelFor(component.label, id), row, saveStateMark(component)]);
  },

  textarea(component, context, key) {
    const id = domId(key);
    const area = h('textarea', { className: 'ck-textarea', attrs: { id, placeholder: str(component.placeholder), rows: '3' } });
    area.value = str(component.value);
    area.disabled = component.disabled === true;
    if (component.error === true) {
      area.setAttribute('aria-invalid', 'true');
      area.classList.add('ck-error');
    }
    withId(area, component);
    context.field(str(component.id), () => area.value);
    return h('div', { className: 'ck-field' }, [labelFor(component.label, id), area]);
  },

  'single-select'(component, context, key) {
    const name = domId(key);
    const disabled = component.disabled === true || component.save_state === 'saved';
    const group = h('fieldset', { className: 'ck-single-select', attrs: { role: 'radiogroup' } });
    withId(group, component);
    if (component.label) group.append(h('legend', { className: 'ck-label', text: str(component.label) }));
    const options = h('div', { className: 'ck-segments' });
    for (const option of listOf(component.options)) {
      const radio = h('input', { attrs: { type: 'radio', name, value: str(option.id) }, data: { optionId: str(option.id) } });
      radio.checked = option.id === component.value;
      radio.disabled = disabled || option.disabled === true;
      radio.addEventListener('change', () => {
        if (radio.checked && component.action) context.action(component.action, str(component.id));
      });
      options.append(h('label', { className: 'ck-segment' }, [radio, h('span', { text: str(option.text) })]));
    }
    group.append(options);
    context.field(str(component.id), () => group.querySelector<HTMLInputElement>('input:checked')?.value);
    const mark = saveStateMark(component);
    if (mark) group.append(mark);
    return group;
  },

  dropdown(component, context, key) {
    const id = domId(key);
    const select = h('select', { className: 'ck-dropdown', attrs: { id } });
    select.append(h('option', { text: 'Select…', attrs: { value: '', disabled: '' } }));
    for (const option of listOf(component.options)) {
      const node = h('option', { text: str(option.text), attrs: { value: str(option.id) }, data: { optionId: str(option.id) } });
      node.disabled = option.disabled === true;
      select.append(node);
    }
    select.value = str(component.value);
    if (select.selectedIndex < 0) select.value = '';
    select.disabled = component.disabled === true || component.save_state === 'saved';
    withId(select, component);
    context.field(str(component.id), () => select.value || undefined);
    return h('div', { className: 'ck-field' }, [labelFor(component.label, id), select, saveStateMark(component)]);
  },

  checkbox(component: ArrivingCheckbox, context) {
    const disabled = component.disabled === true || component.save_state === 'saved';
    const group = h('fieldset', { className: 'ck-checkbox' });
    withId(group, component);
    if (component.label) group.append(h('legend', { className: 'ck-label', text: str(component.label) }));
    const chosen = new Set(listOf(component.value).map(str));
    // `option` per the OpenAPI schema and the reference; Intercom's tutorial writes `options`.
    const options = Array.isArray(component.option) ? component.option : listOf(component.options);
    for (const option of options) {
      const box = h('input', { attrs: { type: 'checkbox', value: str(option.id) }, data: { optionId: str(option.id) } });
      box.checked = chosen.has(str(option.id));
      box.disabled = disabled || option.disabled === true;
      group.append(h('label', { className: 'ck-check' }, [box, h('span', { text: str(option.text) })]));
    }
    context.field(str(component.id), () => Array.from(group.querySelectorAll<HTMLInputElement>('input[type=checkbox]:checked'), (box) => box.value));
    const mark = saveStateMark(component);
    if (mark) group.append(mark);
    return group;
  },

  list(component, context) {
    const listDisabled = component.disabled === true;
    const list = h('ul', { className: 'ck-list' });
    for (const item of listOf(component.items)) {
      const disabled = listDisabled || item.disabled === true;
      const parts: HTMLElement[] = [];
      const src = item.image ? safeImageSource(item.image) : null;
      if (src) {
        const img = h('img', { className: `ck-item-image${item.rounded_image ? ' ck-rounded' : ''}`, attrs: { src, alt: '', loading: 'lazy' } });
        if (px(item.image_width)) img.width = Number(px(item.image_width));
        if (px(item.image_height)) img.height = Number(px(item.image_height));
        parts.push(img);
      }
      parts.push(h('span', { className: 'ck-item-text' }, [
        h('span', { className: 'ck-item-title', text: str(item.title) }),
        item.subtitle ? h('span', { className: 'ck-item-subtitle', text: str(item.subtitle) }) : null,
        item.tertiary_text ? h('span', { className: 'ck-item-tertiary', text: str(item.tertiary_text) }) : null,
      ]));
      let body: HTMLElement;
      if (item.action && !disabled) {
        body = h('button', { className: 'ck-item ck-item-action', attrs: { type: 'button' }, data: { actionType: str(item.action.type) } }, parts);
        body.addEventListener('click', () => context.action(item.action, str(item.id)));
      } else {
        body = h('div', { className: `ck-item${disabled ? ' ck-item-disabled' : ''}` }, parts);
      }
      list.append(h('li', { className: 'ck-list-item', data: { itemId: str(item.id) }, attrs: disabled ? { 'aria-disabled': 'true' } : {} }, [body]));
    }
    return list;
  },

  'data-table'(component) {
    const rows = listOf(component.items).map((item) =>
      h('tr', { data: { field: str(item.field) } }, [
        h('th', { text: str(item.field), attrs: { scope: 'row', title: str(item.field) } }),
        // The inbox truncates long values; the full text is in the tooltip.
        h('td', { text: str(item.value), attrs: { title: str(item.value) } }),
      ]),
    );
    return h('table', { className: 'ck-data-table' }, [h('tbody', {}, rows)]);
  },

  divider(component) {
    return withId(h('hr', { className: 'ck-divider' }), component);
  },

  spacer(component) {
    const size = oneOf(SPACER_SIZES, component.size, 's');
    return withId(h('div', { className: `ck-spacer ck-spacer-${size}`, data: { size }, attrs: { 'aria-hidden': 'true' } }), component);
  },

  image(component) {
    const align = oneOf(IMAGE_ALIGNS, component.align, 'left');
    const wrapper = h('div', { className: `ck-image ck-image-${align}`, data: { align } });
    withId(wrapper, component);
    const src = safeImageSource(component.url);
    if (!src) {
      wrapper.append(h('span', { className: 'ck-text ck-text-error', text: 'Image not shown: its url is not a web address.' }));
      return wrapper;
    }
    const img = h('img', { className: component.rounded ? 'ck-rounded' : '', attrs: { src, alt: '' } });
    if (px(component.width)) img.width = Number(px(component.width));
    if (px(component.height)) img.height = Number(px(component.height));
    const href = component.action?.type === 'url' ? safeWebUrl(component.action.url) : null;
    if (href) {
      const link = h('a', { attrs: { href, target: '_blank', rel: 'noopener noreferrer' } }, [img]);
      wrapper.append(link);
    } else {
      wrapper.append(img);
    }
    return wrapper;
  },
};

/**
 * The renderer for a component's `type`, or none for a type outside the catalogue. (The renderers
 * are typed per component; TypeScript cannot tie a looked-up renderer to its component by itself.)
 */
function rendererFor(type: string): Renderer<Component> | undefined {
  return Object.hasOwn(RENDERERS, type) ? (RENDERERS[type as ComponentType] as Renderer<Component>) : undefined;
}
