// Constructors for the few component shapes the canvases use, so views read as layouts. Text passed
// to `text` is Markdown: callers pass trusted words or markdownText(untrusted).
import type { ButtonComponent, Component, DataTableItem, TextComponent } from '../schema/components';

type TextStyle = NonNullable<TextComponent['style']>;
type ButtonStyle = NonNullable<ButtonComponent['style']>;

export function text(markdown: string, style?: TextStyle): Component {
  return style ? { type: 'text', text: markdown, style } : { type: 'text', text: markdown };
}

export function header(markdown: string): Component {
  return text(markdown, 'header');
}

export function submitButton(id: string, label: string, style: ButtonStyle = 'primary', disabled = false): Component {
  return { type: 'button', id, label, style, action: { type: 'submit' }, ...(disabled ? { disabled: true } : {}) };
}

export function urlButton(id: string, label: string, url: string, style: ButtonStyle = 'secondary'): Component {
  return { type: 'button', id, label, style, action: { type: 'url', url } };
}

/** Rows are plain strings (no Markdown), already capped by the caller. */
export function dataTable(rows: ReadonlyArray<readonly [field: string, value: string]>): Component {
  const items: DataTableItem[] = rows.map(([field, value]) => ({ type: 'field-value', field, value }));
  return { type: 'data-table', items };
}

export function divider(): Component {
  return { type: 'divider' };
}
