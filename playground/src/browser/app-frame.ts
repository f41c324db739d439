// Loads the built app into its iframes the way Zendesk does: the manifest's ticket_sidebar (and
// top_bar) URL, with origin, app_guid and colorScheme in the query string (ZAFClient.init reads them).
import { messageOf, playgroundApi, type AppManifest } from './api';
import type { ColorScheme } from './color-scheme';
import { byTestId } from './dom';

const APP_BASE = '/playground/zendesk-app/';

/** A fresh instance guid per page load; randomUUID needs a secure context, so fall back. */
export function newAppGuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export type AppLocation = 'ticket_sidebar' | 'top_bar';

/** The location's page in the package, or null when the app has no such location. */
function locationUrl(manifest: AppManifest, location: AppLocation): string | null {
  const entry = manifest.location?.support?.[location];
  if (entry === undefined) return location === 'ticket_sidebar' ? 'assets/index.html' : null;
  const url = typeof entry === 'string' ? entry : entry.url;
  // Only a package-relative asset: an absolute URL would load someone else's page into the playground.
  return typeof url === 'string' && url.startsWith('assets/') ? url : location === 'ticket_sidebar' ? 'assets/index.html' : null;
}

export function hasLocation(manifest: AppManifest, location: AppLocation): boolean {
  return locationUrl(manifest, location) !== null;
}

/** The built app's manifest, or null (with a visible hint) when `npm run build` has not run yet. */
export async function loadAppManifest(): Promise<AppManifest | null> {
  try {
    return await playgroundApi.appManifest();
  } catch (error) {
    const missing = byTestId('app-missing');
    missing.hidden = false;
    missing.textContent = `The sidebar app is not built yet (${messageOf(error)}). Run "npm run build", then reload this page.`;
    byTestId('zaf-app-frame').hidden = true;
    return null;
  }
}

export function appFrameSrc(manifest: AppManifest, { appGuid, colorScheme }: { appGuid: string; colorScheme: ColorScheme }, location: AppLocation = 'ticket_sidebar'): string {
  const query = new URLSearchParams({ origin: window.location.origin, app_guid: appGuid, colorScheme });
  return `${APP_BASE}${locationUrl(manifest, location) ?? 'assets/index.html'}?${query}`;
}
