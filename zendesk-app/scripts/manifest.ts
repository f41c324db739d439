// The app's manifest.json. The backend URL is a build setting: Zendesk's proxy only injects the
// secure review key into requests to hosts named in domainWhitelist.
import { readFileSync } from 'node:fs';

export const REVIEW_KEY_PARAMETER = 'review_key';

/**
 * The ticket sidebar; the queue in the top bar (its icon from assets/icon_top_bar.svg); and a page
 * with no UI that Zendesk loads with the agent interface, which preloads the queue so its count and
 * notifications are live before the agent first opens it.
 */
export const LOCATIONS = {
  ticket_sidebar: { url: 'assets/index.html', flexible: true },
  top_bar: { url: 'assets/top_bar.html', size: { width: '380px', height: '520px' } },
  background: { url: 'assets/background.html' },
};

export interface ManifestOptions {
  publicUrl: string;
  version?: string;
}

export function appManifest({ publicUrl, version = packageVersion() }: ManifestOptions): Record<string, unknown> {
  return {
    name: 'Countersign',
    // Placeholder publisher details: replace with the real ones before listing on the Marketplace.
    author: { name: 'Countersign', email: 'apps@countersign.dev', url: 'https://countersign.dev' },
    defaultLocale: 'en',
    private: false,
    location: { support: LOCATIONS },
    version,
    frameworkVersion: '2.0',
    domainWhitelist: [new URL(publicUrl).hostname],
    parameters: [{ name: REVIEW_KEY_PARAMETER, type: 'text', secure: true, required: true, scopes: ['header'] }],
  };
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}
