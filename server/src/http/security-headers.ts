// Security headers (helmet) with a Content-Security-Policy the server's own pages work under: the
// home, install and request pages (inline <style> only), the playground, and the Zendesk app it
// frames (Garden's styled-components injects <style> tags, hence 'unsafe-inline' for styles only).
import type { RequestHandler } from 'express';
import helmet from 'helmet';

type Directives = Record<string, string[]>;

function baseDirectives(httpsOnly: boolean): Directives {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'object-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'frame-src': ["'self'"],
    'frame-ancestors': ["'self'"],
    'form-action': ["'self'"],
    // Only behind https: on a plain-http dev server it would send the browser to a port nobody serves.
    ...(httpsOnly ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/**
 * The hosts Intercom lists for sites that embed the Messenger with a source allowlist
 * ("Using Intercom with Content Security Policy"); added only when the playground boots it.
 */
const INTERCOM_MESSENGER: Directives = {
  'script-src': ['https://app.intercom.io', 'https://widget.intercom.io', 'https://js.intercomcdn.com'],
  'connect-src': [
    'https://*.intercom.io',
    'wss://*.intercom.io',
    'https://*.intercom-messenger.com',
    'wss://*.intercom-messenger.com',
    'https://uploads.intercomcdn.com',
    'https://uploads.intercomcdn.eu',
    'https://uploads.au.intercomcdn.com',
    'https://uploads.intercomusercontent.com',
  ],
  'img-src': ['blob:', 'https://*.intercomcdn.com', 'https://*.intercomassets.com', 'https://uploads.intercomusercontent.com'],
  'font-src': ['https://js.intercomcdn.com', 'https://fonts.intercomcdn.com'],
  'media-src': ['https://js.intercomcdn.com', 'https://downloads.intercomcdn.com'],
  'frame-src': ['https://intercom-sheets.com', 'https://www.intercom-reporting.com', 'https://www.youtube.com', 'https://player.vimeo.com', 'https://fast.wistia.net'],
};

function merged(base: Directives, extra: Directives): Directives {
  const out: Directives = { ...base };
  for (const [name, sources] of Object.entries(extra)) out[name] = [...(out[name] ?? ["'self'"]), ...sources];
  return out;
}

export function securityHeaders(options: { httpsOnly: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: baseDirectives(options.httpsOnly) },
    // Outbound links from the pages (Intercom, Zendesk docs) need not carry our URLs.
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.httpsOnly ? { maxAge: 180 * 24 * 3600 } : false,
  });
}

/** The policy for /playground pages that boot the live Messenger: the base one plus Intercom's hosts. */
export function messengerContentSecurity(options: { httpsOnly: boolean }): RequestHandler {
  return helmet.contentSecurityPolicy({ useDefaults: false, directives: merged(baseDirectives(options.httpsOnly), INTERCOM_MESSENGER) });
}
