// Renders Canvas Kit JSON (a canvas object's content.components) into the inbox side panel, the way
// Intercom's inbox shows an app: every component of the catalogue, input values collected for submit
// actions, url actions opened in a new tab. Untrusted strings only ever reach the DOM as text nodes
// (labels, values, table cells) or through canvas-markdown.js (text components).
import { h } from '../dom.js';
import { markdownNodes } from './canvas-markdown.js';

/** Every `type` of the Canvas Kit component catalogue (OpenAPI 2.11 `component` oneOf). */
export const COMPONENT_TYPES = ['text', 'button', 'input', 'textarea', 'single-select', 'dropdown', 'checkbox', 'list', 'data-table', 'divider', 'spacer', 'image'];

const TEXT_STYLES = new Set(['header', 'paragraph', 'muted', 'error']);
const ALIGNS = new Set(['left', 'center', 'right']);
const BUTTON_STYLES = new Set(['primary', 'secondary', 'link']);
const SPACER_SIZES = new Set(['xs', 's', 'm', 'l', 'xl']);
const IMAGE_ALIGNS = new Set(['left', 'center', 'right', 'full_width']);

/** Only web URLs open from a canvas (never javascript:, data: or the like). */
export function safeWebUrl(raw) {
  try {
    const url = new URL(String(raw));
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Image sources: web URLs and inline raster images (no SVG: it can carry script when opened). */
function safeImageSource(raw) {
  const text = String(raw ?? '');
  if (/^data:image\/(png|gif|jpeg|webp);base64,[a-z0-9+/=]+$/i.test(text)) return text;
  return safeWebUrl(text);
}

function openUrl(raw) {
  const url = safeWebUrl(raw);
  if (url) window.open(url, '_blank', 'noopener,noreferrer');
  return url !== null;
}

const str = (value) => (value === undefined || value === null ? '' : String(value));
const px = (value) => (Number.isFinite(Number(value)) && Number(value) > 0 ? String(Math.round(Number(value))) : null);

/**
 * Renders `canvas.content.components` into `root` (replacing what was there).
 * @param {HTMLElement} root
 * @param {object} canvas a canvas object ({content: {components}, stored_data})
 * @param {{ onSubmit?: (componentId: string, inputValues: Record<string, unknown>) => void, onUrl?: (url: string) => void, onNotice?: (message: string) => void }} [handlers]
 * @returns {{ inputValues: () => Record<string, unknown> }}
 */
export function renderCanvas(root, canvas, handlers = {}) {
  const fields = [];
  const notice = (message) => (handlers.onNotice ?? console.warn)(message);
  const context = {
    field: (id, read) => fields.push({ id, read }),
    submit: (componentId) => handlers.onSubmit?.(componentId, inputValues()),
    action: (action, componentId) => {
      if (!action || typeof action !== 'object') return;
      if (action.type === 'submit') context.submit(componentId);
      else if (action.type === 'url') {
        if (handlers.onUrl) {
          const url = safeWebUrl(action.url);
          if (url) handlers.onUrl(url);
          else notice(`Refused to open "${str(action.url)}": not a web URL.`);
        } else if (!openUrl(action.url)) notice(`Refused to open "${str(action.url)}": not a web URL.`);
      } else if (action.type === 'sheet') notice('Sheet actions exist only in the Messenger, not in the inbox.');
      else notice(`Unknown action type "${str(action.type)}".`);
    },
  };
  const inputValues = () => {
    const values = {};
    for (const { id, read } of fields) {
      const value = read();
      if (value !== undefined) values[id] = value;
    }
    return values;
  };

  const nodes = [];
  if (canvas?.content_url && !canvas?.content) {
    nodes.push(h('p', { className: 'ck-text ck-text-error', data: { componentType: 'text' }, text: 'This canvas uses content_url (a live canvas), which Intercom shows only in the Messenger.' }));
  }
  const components = Array.isArray(canvas?.content?.components) ? canvas.content.components : [];
  components.forEach((component, index) => nodes.push(renderComponent(component, context, `ck-${index}`)));
  root.replaceChildren(...nodes);
  return { inputValues };
}

function renderComponent(component, context, key) {
  const type = str(component?.type);
  const render = RENDERERS[type];
  if (!render) {
    return h('div', { className: 'ck-unsupported', data: { componentType: type || 'unknown' }, text: `Unsupported component "${type}"` });
  }
  const node = render(component, context, key);
  node.dataset.componentType = type;
  node.classList.add('ck-component');
  if (component.bottom_margin === 'none') node.classList.add('ck-no-margin');
  return node;
}

/** Sets data-component-id on the element that stands for the component (the control, for inputs). */
function withId(node, component) {
  if (component.id !== undefined && component.id !== null) node.dataset.componentId = str(component.id);
  return node;
}

function labelFor(text, controlId) {
  return text ? h('label', { className: 'ck-label', text: str(text), attrs: { for: controlId } }) : null;
}

function saveStateMark(component) {
  if (component.save_state === 'saved') return h('span', { className: 'ck-save ck-save-saved', text: '✓ Saved', data: { saveState: 'saved' } });
  if (component.save_state === 'failed') return h('span', { className: 'ck-save ck-save-failed', text: '✗ Failed', data: { saveState: 'failed' } });
  return null;
}

let uniqueCounter = 0;
const domId = (key) => `${key}-${(uniqueCounter += 1)}`;

const RENDERERS = {
  text(component) {
    const style = TEXT_STYLES.has(component.style) ? component.style : 'paragraph';
    const align = ALIGNS.has(component.align) ? component.align : 'left';
    const node = h(style === 'header' ? 'h3' : 'p', { className: `ck-text ck-text-${style} ck-align-${align}`, data: { style, align } });
    node.append(...markdownNodes(component.text));
    return withId(node, component);
  },

  button(component, context) {
    const style = BUTTON_STYLES.has(component.style) ? component.style : 'primary';
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
    for (const option of Array.isArray(component.options) ? component.options : []) {
      const radio = h('input', { attrs: { type: 'radio', name, value: str(option.id) }, data: { optionId: str(option.id) } });
      radio.checked = option.id === component.value;
      radio.disabled = disabled || option.disabled === true;
      radio.addEventListener('change', () => {
        if (radio.checked && component.action) context.action(component.action, str(component.id));
      });
      options.append(h('label', { className: 'ck-segment' }, [radio, h('span', { text: str(option.text) })]));
    }
    group.append(options);
    context.field(str(component.id), () => group.querySelector('input:checked')?.value);
    const mark = saveStateMark(component);
    if (mark) group.append(mark);
    return group;
  },

  dropdown(component, context, key) {
    const id = domId(key);
    const select = h('select', { className: 'ck-dropdown', attrs: { id } });
    select.append(h('option', { text: 'Select…', attrs: { value: '', disabled: '' } }));
    for (const option of Array.isArray(component.options) ? component.options : []) {
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

  checkbox(component, context) {
    const disabled = component.disabled === true || component.save_state === 'saved';
    const group = h('fieldset', { className: 'ck-checkbox' });
    withId(group, component);
    if (component.label) group.append(h('legend', { className: 'ck-label', text: str(component.label) }));
    const chosen = new Set(Array.isArray(component.value) ? component.value.map(str) : []);
    // `option` per the OpenAPI schema and the reference; Intercom's tutorial writes `options`.
    const options = Array.isArray(component.option) ? component.option : Array.isArray(component.options) ? component.options : [];
    for (const option of options) {
      const box = h('input', { attrs: { type: 'checkbox', value: str(option.id) }, data: { optionId: str(option.id) } });
      box.checked = chosen.has(str(option.id));
      box.disabled = disabled || option.disabled === true;
      group.append(h('label', { className: 'ck-check' }, [box, h('span', { text: str(option.text) })]));
    }
    context.field(str(component.id), () => Array.from(group.querySelectorAll('input[type=checkbox]:checked'), (box) => box.value));
    const mark = saveStateMark(component);
    if (mark) group.append(mark);
    return group;
  },

  list(component, context) {
    const listDisabled = component.disabled === true;
    const list = h('ul', { className: 'ck-list' });
    for (const item of Array.isArray(component.items) ? component.items : []) {
      const disabled = listDisabled || item.disabled === true;
      const parts = [];
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
      let body;
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
    const rows = (Array.isArray(component.items) ? component.items : []).map((item) =>
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
    const size = SPACER_SIZES.has(component.size) ? component.size : 's';
    return withId(h('div', { className: `ck-spacer ck-spacer-${size}`, data: { size }, attrs: { 'aria-hidden': 'true' } }), component);
  },

  image(component, context) {
    const align = IMAGE_ALIGNS.has(component.align) ? component.align : 'left';
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
