// The page's light/dark switch. The page theme follows it at once; the app hears about it through
// the host's colorScheme.changed event (and reads the initial value from its iframe URL).
import { byTestId } from './dom';

export type ColorScheme = 'light' | 'dark';

/** The initial scheme: ?colorScheme=dark on the playground URL, else the OS preference. */
export function initialColorScheme(): ColorScheme {
  const asked = new URLSearchParams(window.location.search).get('colorScheme');
  if (asked === 'dark' || asked === 'light') return asked;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyColorScheme(scheme: ColorScheme): void {
  document.documentElement.dataset.colorScheme = scheme;
  const toggle = byTestId('color-scheme-toggle');
  toggle.setAttribute('aria-pressed', String(scheme === 'dark'));
  toggle.textContent = scheme === 'dark' ? 'Light mode' : 'Dark mode';
}

/** Wires the toggle; onChange(scheme) runs after the page switched. */
export function bindColorSchemeToggle(getScheme: () => ColorScheme, onChange: (scheme: ColorScheme) => void): void {
  byTestId('color-scheme-toggle').addEventListener('click', () => {
    const next = getScheme() === 'dark' ? 'light' : 'dark';
    applyColorScheme(next);
    onChange(next);
  });
}
