// The page's two views, "Zendesk ticket" and "Intercom inbox", as tabs. The URL hash names the view
// (#zendesk, #intercom) so a link can open either; every element with data-view-panel belongs to one.
import { byTestId } from './dom.js';

export const VIEWS = ['zendesk', 'intercom'];
const SUBTITLES = { zendesk: 'Zendesk agent workspace (emulated)', intercom: 'Intercom inbox (emulated)' };

function viewFromHash() {
  const asked = window.location.hash.replace(/^#/, '');
  return VIEWS.includes(asked) ? asked : 'zendesk';
}

export function bindViews() {
  const titles = { zendesk: document.title, intercom: 'Intercom inbox — Countersign playground' };
  const tabs = Array.from(document.querySelectorAll('[data-view-tab]'));

  const show = (view) => {
    document.documentElement.dataset.activeView = view;
    for (const tab of tabs) {
      const selected = tab.dataset.viewTab === view;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
    }
    for (const panel of document.querySelectorAll('[data-view-panel]')) panel.hidden = panel.dataset.viewPanel !== view;
    byTestId('brand-sub').textContent = SUBTITLES[view];
    document.title = titles[view];
  };

  tabs.forEach((tab, index) => {
    tab.addEventListener('click', () => {
      history.replaceState(null, '', `#${tab.dataset.viewTab}`);
      show(tab.dataset.viewTab);
    });
    // Arrow keys move between tabs, as in any tablist.
    tab.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
      const next = tabs[(index + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
      next.focus();
      next.click();
    });
  });
  window.addEventListener('hashchange', () => show(viewFromHash()));
  show(viewFromHash());
}
