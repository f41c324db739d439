// The Markdown Canvas Kit text components support: bold (**…**) and links ([text](https://…)), nothing
// else. Parsed into DOM nodes here — text nodes, <strong> and <a> — so no string is ever read as
// HTML; any other syntax, and any link that is not https, stays literal text. Backslash escapes of
// ASCII punctuation work as in CommonMark (Countersign escapes untrusted text that way).

const ESCAPABLE = /^[!-/:-@[-`{-~]$/;

/** The nodes for one text component's Markdown. */
export function markdownNodes(source: unknown): Node[] {
  return parse(String(source ?? ''), { bold: true, links: true });
}

/** Which syntax may still open here: bold does not nest, and a link's label holds no link. */
interface Allowed {
  bold: boolean;
  links: boolean;
}

function parse(source: string, allow: Allowed): Node[] {
  const nodes: Node[] = [];
  let text = '';
  const flush = () => {
    if (text) nodes.push(document.createTextNode(text));
    text = '';
  };
  let i = 0;
  while (i < source.length) {
    const char = source[i];
    const next = source[i + 1];
    if (char === '\\' && next !== undefined && ESCAPABLE.test(next)) {
      text += next;
      i += 2;
      continue;
    }
    if (allow.bold && char === '*' && next === '*') {
      const end = findUnescaped(source, '**', i + 2);
      if (end > i + 2) {
        flush();
        const strong = document.createElement('strong');
        strong.append(...parse(source.slice(i + 2, end), { bold: false, links: allow.links }));
        nodes.push(strong);
        i = end + 2;
        continue;
      }
    }
    if (allow.links && char === '[') {
      const link = parseLink(source, i, allow);
      if (link) {
        flush();
        nodes.push(link.node);
        i = link.end;
        continue;
      }
    }
    text += char;
    i += 1;
  }
  flush();
  return nodes;
}

/** Index of the next `token` not preceded by a backslash escape, or -1. */
function findUnescaped(source: string, token: string, from: number): number {
  for (let j = from; j < source.length; j += 1) {
    if (source[j] === '\\') {
      j += 1;
      continue;
    }
    if (source.startsWith(token, j)) return j;
  }
  return -1;
}

/** `[text](https://…)` starting at `start`, as an <a>, or null when it is not one we render. */
function parseLink(source: string, start: number, allow: Allowed): { node: HTMLAnchorElement; end: number } | null {
  const close = findUnescaped(source, ']', start + 1);
  if (close < 0 || source[close + 1] !== '(') return null;
  const urlEnd = source.indexOf(')', close + 2);
  if (urlEnd < 0) return null;
  const href = safeHttpsUrl(source.slice(close + 2, urlEnd));
  if (!href) return null;
  const anchor = document.createElement('a');
  anchor.href = href;
  anchor.target = '_blank';
  anchor.rel = 'noopener noreferrer';
  const label = parse(source.slice(start + 1, close), { bold: allow.bold, links: false });
  if (label.length > 0) anchor.append(...label);
  else anchor.textContent = href;
  return { node: anchor, end: urlEnd + 1 };
}

function safeHttpsUrl(raw: string): string | null {
  if (!/^https:\/\/\S+$/.test(raw)) return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
