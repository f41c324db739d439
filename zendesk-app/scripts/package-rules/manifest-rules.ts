// Top-level manifest fields, after zendesk_apps_support's manifest validation: required keys, value
// types, the framework version and the default locale's translation file.
import { isRecord, type Findings, type JsonRecord } from './findings';
import type { PackageContents } from './package-contents';

export const CURRENT_FRAMEWORK_VERSION = '2.0';
export const LOCALE_PATTERN = /^[a-z]{2,3}(-\w{2,3})?$/;
const BOOLEAN_FIELDS = ['requirementsOnly', 'marketingOnly', 'singleInstall', 'signedUrls', 'private'];
const STRING_FIELDS = ['version', 'defaultLocale', 'frameworkVersion', 'termsConditionsURL', 'gaID', 'remoteInstallationURL'];
const ALLOWED_EXPERIMENTS = ['hashParams', 'newCssCompiler'];

export function checkManifestFields(manifest: JsonRecord, contents: PackageContents, findings: Findings): void {
  checkRequired(manifest, findings);
  checkTypes(manifest, findings);
  checkAuthor(manifest.author, findings);
  checkFrameworkVersion(manifest, findings);
  checkDefaultLocale(manifest.defaultLocale, contents, findings);
}

/** Apps made only of requirements or a Marketplace listing have no iframe, hence no framework version. */
export function hasNoIframe(manifest: JsonRecord): boolean {
  return manifest.requirementsOnly === true || manifest.marketingOnly === true;
}

function checkRequired(manifest: JsonRecord, findings: Findings): void {
  const missing = ['author', 'defaultLocale'].filter((key) => manifest[key] === undefined || manifest[key] === null);
  if (!hasNoIframe(manifest) && manifest.frameworkVersion === undefined) missing.push('frameworkVersion');
  if (!hasNoIframe(manifest) && manifest.location === undefined) missing.push('location');
  if (missing.length > 0) findings.error('missing_keys', `manifest.json is missing required keys: ${missing.join(', ')}`);
}

function checkTypes(manifest: JsonRecord, findings: Findings): void {
  for (const field of BOOLEAN_FIELDS) {
    if (field in manifest && typeof manifest[field] !== 'boolean') findings.error('unacceptable_boolean', `${field} must be true or false`);
  }
  for (const field of STRING_FIELDS) {
    if (manifest[field] !== undefined && manifest[field] !== null && typeof manifest[field] !== 'string') findings.error('unacceptable_string', `${field} must be a string`);
  }
  const whitelist = manifest.domainWhitelist;
  if (whitelist !== undefined && !(Array.isArray(whitelist) && whitelist.every((entry) => typeof entry === 'string'))) {
    findings.error('unacceptable_array_of_strings', 'domainWhitelist must be an array of strings');
  }
  if (manifest.parameters !== undefined && !Array.isArray(manifest.parameters)) findings.error('unacceptable_array', 'parameters must be an array');
  checkExperiments(manifest.experiments, findings);
}

function checkExperiments(experiments: unknown, findings: Findings): void {
  if (experiments === undefined) return;
  if (!isRecord(experiments)) return findings.error('unacceptable_hash', 'experiments must be an object');
  const unknown = Object.keys(experiments).filter((name) => !ALLOWED_EXPERIMENTS.includes(name));
  if (unknown.length > 0) findings.error('invalid_experiments', `unknown experiments: ${unknown.join(', ')} (allowed: ${ALLOWED_EXPERIMENTS.join(', ')})`);
}

function checkAuthor(author: unknown, findings: Findings): void {
  if (author === undefined || author === null) return; // reported as a missing key
  if (!isRecord(author)) return findings.error('invalid_author', 'author must be an object with name, email and url');
  for (const field of ['name', 'email', 'url']) {
    if (author[field] !== undefined && typeof author[field] !== 'string') findings.error('unacceptable_string', `author ${field} must be a string`);
  }
  for (const field of ['name', 'email']) {
    if (typeof author[field] !== 'string' || author[field].trim() === '') findings.error('missing_author_field', `author.${field} is required`);
  }
  if (typeof author.url === 'string' && !/^https?:\/\/[^\s/]+/i.test(author.url)) findings.error('invalid_url', 'author url must be an http(s) URL');
}

function checkFrameworkVersion(manifest: JsonRecord, findings: Findings): void {
  if (hasNoIframe(manifest)) {
    if (manifest.frameworkVersion !== undefined) findings.error('no_framework_version_required', 'requirements-only and marketing-only apps must not set frameworkVersion');
    if (manifest.location !== undefined) findings.error('no_location_required', 'requirements-only and marketing-only apps must not set location');
    return;
  }
  const version = manifest.frameworkVersion;
  if (version !== undefined && version !== CURRENT_FRAMEWORK_VERSION) {
    findings.error('invalid_version', `frameworkVersion ${JSON.stringify(version)} cannot be served; use "${CURRENT_FRAMEWORK_VERSION}"`);
  }
}

function checkDefaultLocale(locale: unknown, contents: PackageContents, findings: Findings): void {
  if (typeof locale !== 'string') return;
  if (!LOCALE_PATTERN.test(locale)) return findings.error('invalid_default_locale', `defaultLocale "${locale}" is not a locale like "en" or "pt-br"`);
  if (!contents.has(`translations/${locale}.json`)) findings.error('missing_translation_file', `translations/${locale}.json (the defaultLocale's file) is missing`);
}
