// The part of Slack's mrkdwn Countersign's messages use, as DOM nodes (never HTML): *bold*, `code`,
// "> " quoted lines, <https://…|links>, <@U…> mentions, <!date^…|fallback> times (shown in the
// reader's own time zone, as Slack does) and the &amp; &lt; &gt; escapes. Anything else stays text.

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/** The nodes for one mrkdwn text; `names` turns user ids into names for mentions. */
export function mrkdwnNodes(source: string, names: (userId: string) => string): Node[] {
  const nodes: Node[] = [];
  source.split('\n').forEach((line, index) => {
    if (index > 0) nodes.push(document.createElement('br'));
    if (line.startsWith('> ')) {
      const quote = document.createElement('q');
      quote.className = 'slack-quote';
      quote.append(...inline(line.slice(2), names));
      nodes.push(quote);
    } else {
      nodes.push(...inline(line, names));
    }
  });
  return nodes;
}

function inline(line: string, names: (userId: string) => string): Node[] {
  const nodes: Node[] = [];
  const pattern = /<([^<>]+)>|\*([^*\n]+)\*|`([^`\n]+)`/g;
  let at = 0;
  for (const match of line.matchAll(pattern)) {
    if (match.index > at) nodes.push(text(line.slice(at, match.index)));
    if (match[1] !== undefined) nodes.push(angled(match[1], names));
    else if (match[2] !== undefined) nodes.push(wrapped('strong', match[2]));
    else nodes.push(wrapped('code', match[3]!));
    at = match.index + match[0].length;
  }
  if (at < line.length) nodes.push(text(line.slice(at)));
  return nodes;
}

/** What Slack writes between < and >: a mention, a date, or a link. */
function angled(inside: string, names: (userId: string) => string): Node {
  if (inside.startsWith('@')) return wrapped('span', `@${names(inside.slice(1))}`, 'slack-mention');
  if (inside.startsWith('!date^')) {
    const [head, fallback] = splitOnce(inside, '|');
    const seconds = Number(head.split('^')[1]);
    const shown = Number.isFinite(seconds) ? new Date(seconds * 1000).toLocaleString() : fallback;
    const time = wrapped('time', shown);
    if (Number.isFinite(seconds)) time.setAttribute('datetime', new Date(seconds * 1000).toISOString());
    return time;
  }
  const [url, label] = splitOnce(inside, '|');
  if (!/^https?:\/\//.test(url)) return text(`<${inside}>`);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.target = '_blank';
  anchor.rel = 'noopener noreferrer';
  anchor.textContent = decode(label || url);
  return anchor;
}

function splitOnce(value: string, separator: string): [string, string] {
  const at = value.indexOf(separator);
  return at === -1 ? [value, ''] : [value.slice(0, at), value.slice(at + 1)];
}

function wrapped(tag: 'strong' | 'code' | 'span' | 'time', content: string, className?: string): HTMLElement {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.textContent = decode(content);
  return node;
}

function text(content: string): Text {
  return document.createTextNode(decode(content));
}

function decode(content: string): string {
  return content.replace(/&(amp|lt|gt);/g, (entity) => ENTITIES[entity] ?? entity);
}
