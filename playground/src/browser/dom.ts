// Tiny DOM builder. Text always goes in through textContent: callback bodies, notes and ticket
// data are untrusted, and nothing in the playground ever uses innerHTML.

export interface ElementProps {
  className?: string;
  text?: string;
  testId?: string;
  data?: Record<string, string>;
  attrs?: Record<string, string>;
}

export type Child = Node | string | null | undefined;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElementProps = {}, children: Child[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.testId) node.dataset.testid = props.testId;
  for (const [key, value] of Object.entries(props.data ?? {})) node.dataset[key] = value;
  for (const [key, value] of Object.entries(props.attrs ?? {})) node.setAttribute(key, value);
  if (props.text !== undefined) node.textContent = props.text;
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** The element with this data-testid; throws when the page markup and the script disagree. */
export function byTestId(testId: string, root: ParentNode = document): HTMLElement {
  const node = root.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
  if (!node) throw new Error(`playground markup is missing [data-testid="${testId}"]`);
  return node;
}

/** byTestId for an element of a given kind (a button, the iframe…), checked like its presence. */
export function byTestIdAs<E extends HTMLElement>(kind: new () => E, testId: string, root: ParentNode = document): E {
  const node = byTestId(testId, root);
  if (!(node instanceof kind)) throw new Error(`playground markup: [data-testid="${testId}"] is a <${node.tagName.toLowerCase()}>, not a ${kind.name}`);
  return node;
}

/** Replaces the element's data-* attributes, keeping its data-testid. */
export function setData(node: HTMLElement, data: Record<string, string>): void {
  for (const key of Object.keys(node.dataset)) if (key !== 'testid') delete node.dataset[key];
  Object.assign(node.dataset, data);
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleTimeString();
}
