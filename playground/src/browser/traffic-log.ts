// A running log of the ZAF messages the host saw and sent, for the curious (and for debugging).
import { byTestId, h } from './dom';

const MAX_ENTRIES = 300;

/** in: app → host; out: host → app; note: the host's own remark. */
export type TrafficDirection = 'in' | 'out' | 'note';

const ARROWS: Record<TrafficDirection, string> = { in: 'app → host', out: 'host → app', note: 'host' };

export function logTraffic(direction: TrafficDirection, text: string): void {
  const list = byTestId('zaf-traffic');
  list.prepend(h('li', { className: `traffic-${direction}`, data: { direction } }, [
    h('span', { className: 'muted', text: `${new Date().toLocaleTimeString()} ${ARROWS[direction] ?? direction} ` }),
    h('span', { text }),
  ]));
  while (list.childElementCount > MAX_ENTRIES) list.lastElementChild?.remove();
}
