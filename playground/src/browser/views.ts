// The page's views, "Zendesk ticket", "Intercom inbox" and "Slack channel", as tabs. The URL hash names
// the view (#zendesk, #intercom, #slack) so a link can open any; every element with data-view-panel
// belongs to one.
import { byTestId } from './dom';

export const VIEWS = ['zendesk', 'intercom', 'slack'] as const;
export type View = (typeof VIEWS)[number];

const SUBTITLES: Record<View, string> = { zendesk: 'Zendesk agent workspace (emulated)', intercom: 'Intercom inbox (emulated)', slack: 'Slack channel (emulated)' };

const isView = (value: string | undefined): value is View => (VIEWS as readonly (string | undefined)[]).includes(value);

function viewFromHash(): View {
  const asked = window.location.hash.replace(/^#/, '');
  return isView(asked) ? asked : 'zendesk';
}

export function bindViews(): void {
  const titles: Record<View, string> = { zendesk: document.title, intercom: 'Intercom inbox — Countersign playground', slack: 'Slack channel — Countersign playground' };
  const tabs = Array.from(document.querySelectorAll<HTMLElement>('[data-view-tab]'));

  const show = (view: View) => {
    document.documentElement.dataset.activeView = view;
    for (const tab of tabs) {
      const selected = tab.dataset.viewTab === view;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
    }
    for (const panel of document.querySelectorAll<HTMLElement>('[data-view-panel]')) panel.hidden = panel.dataset.viewPanel !== view;
    byTestId('brand-sub').textContent = SUBTITLES[view];
    document.title = titles[view];
  };

  tabs.forEach((tab, index) => {
    const view = tab.dataset.viewTab;
    tab.addEventListener('click', () => {
      if (!isView(view)) return;
      history.replaceState(null, '', `#${view}`);
      show(view);
    });
    // Arrow keys move between tabs, as in any tablist.
    tab.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
      const next = tabs[(index + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
      next?.focus();
      next?.click();
    });
  });
  window.addEventListener('hashchange', () => show(viewFromHash()));
  show(viewFromHash());
}
