// Tiny DOM builder. Text always goes in through textContent: callback bodies, notes and ticket
// data are untrusted, and nothing in the playground ever uses innerHTML.

/**
 * @param {string} tag
 * @param {{ className?: string, text?: string, testId?: string, data?: Record<string, string>, attrs?: Record<string, string> }} [props]
 * @param {Array<Node | string | null | undefined>} [children]
 */
export function h(tag, props = {}, children = []) {
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
export function byTestId(testId, root = document) {
  const node = root.querySelector(`[data-testid="${testId}"]`);
  if (!node) throw new Error(`playground markup is missing [data-testid="${testId}"]`);
  return node;
}

export function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleTimeString();
}
