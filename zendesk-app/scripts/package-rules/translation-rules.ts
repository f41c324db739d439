// translations/*.json: valid names and JSON, a label for every parameter, and the Marketplace texts
// a public app's en.json must carry.
import { isRecord, type Findings, type JsonRecord } from './findings';
import { LOCALE_PATTERN } from './manifest-rules';
import type { PackageContents } from './package-contents';

const PUBLIC_APP_KEYS = ['name', 'short_description', 'installation_instructions', 'long_description'];

export function checkTranslations(manifest: JsonRecord, contents: PackageContents, findings: Findings): void {
  const translations = new Map<string, JsonRecord>();
  for (const path of contents.files.filter((file) => file.startsWith('translations/'))) {
    const locale = /^translations\/([^/]+)\.json$/.exec(path)?.[1];
    if (!locale || !LOCALE_PATTERN.test(locale)) {
      findings.error('translation_invalid_locale', `${path} is not named translations/<locale>.json`, path);
      continue;
    }
    const json = parseTranslation(path, contents, findings);
    if (json) translations.set(locale, json);
  }
  for (const [locale, json] of translations) checkParameterEntries(`translations/${locale}.json`, json, findings);
  checkParameterLabels(manifest, translations, findings);
  checkMarketplaceTexts(manifest, translations.get('en'), contents, findings);
}

function parseTranslation(path: string, contents: PackageContents, findings: Findings): JsonRecord | null {
  try {
    const json: unknown = JSON.parse(contents.read(path).toString('utf8'));
    if (isRecord(json)) return json;
    findings.error('translation_not_json_object', `${path} must hold a JSON object`, path);
  } catch {
    findings.error('translation_not_json', `${path} is not valid JSON`, path);
  }
  return null;
}

/** A translation is a string, or Zendesk's {title, value} form. */
function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value.value === 'string') return value.value;
  return null;
}

function appSection(json: JsonRecord | undefined): JsonRecord {
  return isRecord(json?.app) ? json.app : {};
}

function checkParameterEntries(path: string, json: JsonRecord, findings: Findings): void {
  const parameters = appSection(json).parameters;
  if (!isRecord(parameters)) return;
  for (const [name, entry] of Object.entries(parameters)) {
    if (!isRecord(entry) || !text(entry.label)) findings.error('translation_missing_label', `${path}: app.parameters.${name} has no label`, path);
  }
}

function checkParameterLabels(manifest: JsonRecord, translations: Map<string, JsonRecord>, findings: Findings): void {
  if (!Array.isArray(manifest.parameters)) return;
  const locales = new Set(['en', typeof manifest.defaultLocale === 'string' ? manifest.defaultLocale : 'en']);
  for (const locale of locales) {
    const json = translations.get(locale);
    if (!json) continue; // a missing file is reported on its own
    const labels = appSection(json).parameters;
    for (const parameter of manifest.parameters) {
      if (!isRecord(parameter) || typeof parameter.name !== 'string') continue;
      const entry = isRecord(labels) ? labels[parameter.name] : undefined;
      if (!isRecord(entry) || !text(entry.label)) {
        findings.error('missing_parameter_label', `translations/${locale}.json has no app.parameters.${parameter.name}.label`, `translations/${locale}.json`);
      }
    }
  }
}

function checkMarketplaceTexts(manifest: JsonRecord, en: JsonRecord | undefined, contents: PackageContents, findings: Findings): void {
  if (!contents.has('translations/en.json')) return findings.error('missing_translation_file', 'translations/en.json is required in every package');
  if (!en) return; // unreadable: already reported
  const app = appSection(en);
  // `private` defaults to true when absent, as on Zendesk's side.
  const required = manifest.private === false ? PUBLIC_APP_KEYS : ['name'];
  const present = new Set(Object.keys(app).filter((key) => text(app[key])).map((key) => (key === 'description' ? 'short_description' : key)));
  const missing = required.filter((key) => !present.has(key));
  if (missing.length > 0) findings.error('translation_missing_required_key', `translations/en.json is missing app.${missing.join(', app.')}`, 'translations/en.json');
}
