// manifest.location: known products and locations, and page URLs Zendesk can actually load.
import { isRecord, type Findings, type JsonRecord } from './findings';
import { hasNoIframe } from './manifest-rules';
import type { PackageContents } from './package-contents';

const PRODUCT_LOCATIONS: Record<string, readonly string[]> = {
  support: ['top_bar', 'nav_bar', 'ticket_sidebar', 'new_ticket_sidebar', 'user_sidebar', 'organization_sidebar', 'background', 'modal', 'ticket_editor', 'system_top_bar', 'ticket_module'],
  chat: ['chat_sidebar', 'background', 'nav_bar', 'system_top_bar'],
  sell: ['top_bar', 'note_editor', 'call_log_editor', 'email_editor', 'person_card', 'company_card', 'deal_card', 'lead_card', 'dashboard', 'background', 'modal'],
};
const LOCATION_OPTIONS = ['legacy', 'autoLoad', 'autoHide', 'flexible', 'signed', 'url', 'size', 'objectTypes'];
const BOOLEAN_OPTIONS = ['autoLoad', 'autoHide', 'flexible', 'signed', 'legacy'];
/** Locations Zendesk shows as an icon in its own bars, drawn from assets/icon_<location>.svg. */
const ICON_LOCATIONS = ['top_bar', 'nav_bar', 'system_top_bar', 'ticket_editor'];

export function checkLocations(manifest: JsonRecord, contents: PackageContents, findings: Findings): void {
  if (hasNoIframe(manifest) || manifest.location === undefined) return;
  const location = manifest.location;
  if (!isRecord(location)) return findings.error('invalid_location_format', 'location must be an object of products, e.g. {"support": {"ticket_sidebar": …}}');
  if (Object.keys(location).length === 0) return findings.error('missing_keys', 'location must name at least one product and location');
  for (const [product, locations] of Object.entries(location)) {
    const known = PRODUCT_LOCATIONS[product];
    if (!known) {
      findings.error('invalid_host', `unknown product "${product}" (known: ${Object.keys(PRODUCT_LOCATIONS).join(', ')})`);
      continue;
    }
    if (!isRecord(locations) || Object.keys(locations).length === 0) {
      findings.error('invalid_location_format', `location.${product} must be a non-empty object of locations`);
      continue;
    }
    for (const [name, options] of Object.entries(locations)) {
      if (!known.includes(name)) findings.error('invalid_location', `unknown ${product} location "${name}"`);
      else checkLocationOptions(`${product}.${name}`, options, contents, findings);
      if (ICON_LOCATIONS.includes(name)) checkLocationIcon(name, contents, findings);
    }
  }
}

function checkLocationOptions(where: string, options: unknown, contents: PackageContents, findings: Findings): void {
  // A bare string is shorthand for {url}.
  const resolved: JsonRecord = typeof options === 'string' ? { url: options } : isRecord(options) ? options : {};
  if (typeof options !== 'string' && !isRecord(options)) return findings.error('invalid_location_format', `location ${where} must be a URL or an options object`);
  if ('noTemplate' in resolved) findings.error('no_template_deprecated_in_v2', `location ${where}: noTemplate is not supported by framework 2.0`);
  for (const key of Object.keys(resolved)) {
    if (!LOCATION_OPTIONS.includes(key) && key !== 'noTemplate') findings.warn('unknown_location_option', `location ${where}: "${key}" is not a location option and is ignored`);
  }
  for (const key of BOOLEAN_OPTIONS) {
    if (key in resolved && typeof resolved[key] !== 'boolean') {
      findings.error(key === 'flexible' ? 'invalid_location_flexible_type' : 'unacceptable_boolean', `location ${where}: ${key} must be true or false`);
    }
  }
  const url = resolved.url;
  if (typeof url === 'string' && url !== '') checkLocationUrl(where, url, contents, findings);
  else if (url !== undefined && typeof url !== 'string') findings.error('invalid_location_uri', `location ${where}: url must be a string`);
  else if (resolved.autoLoad !== false) findings.error('blank_location_uri', `location ${where} loads automatically but has no url`);
}

function checkLocationIcon(location: string, contents: PackageContents, findings: Findings): void {
  const icon = `assets/icon_${location}.svg`;
  if (!contents.has(icon)) findings.warn('missing_location_icon', `location ${location} appears as an icon in Zendesk's bar, drawn from ${icon}, which is not in the package (Zendesk would show a generic one)`, icon);
}

function checkLocationUrl(where: string, url: string, contents: PackageContents, findings: Findings): void {
  if (url.includes('{{setting.')) return; // resolved per installation; cannot be checked here
  if (/^[a-z][a-z\d+.-]*:/i.test(url)) {
    if (!isLoadableAbsoluteUrl(url)) findings.error('invalid_location_uri', `location ${where}: "${url}" must use https (or be on localhost)`);
    return;
  }
  const path = url.split(/[?#]/)[0] ?? '';
  if (!path.startsWith('assets/')) return findings.error('invalid_location_uri', `location ${where}: relative url "${url}" must point under assets/`);
  if (!contents.has(path)) findings.error('invalid_location_uri', `location ${where}: "${path}" is not in the package`);
}

function isLoadableAbsoluteUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.hostname === 'localhost';
  } catch {
    return false;
  }
}
