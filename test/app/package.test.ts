// @vitest-environment node
// The build produces a package Zendesk would accept, and the validator catches each rule it enforces.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildZendeskApp, type BuildResult } from '../../zendesk-app/scripts/build';
import { FALSE_POSITIVES } from '../../zendesk-app/scripts/package-rules/false-positives';
import { validatePackage } from '../../zendesk-app/scripts/validate-package';
import { readPngSize } from '../../zendesk-app/scripts/png';
import { badgeSymbols } from '../../zendesk-app/src/queue/queue-badge';
import { zipEntryNames } from './support/zip-entries';

const PUBLIC_URL = 'https://countersign.example.com';
let workDir: string;
let built: BuildResult;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'countersign-zendesk-app-'));
  built = await buildZendeskApp({ outDir: join(workDir, 'dist'), publicUrl: PUBLIC_URL });
}, 120_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const readJson = (path: string): Json => JSON.parse(readFileSync(path, 'utf8')) as Json;

/** Every script of the package, joined: what the pages share lives in chunks of the bundler's choosing. */
const allScripts = (packageDir: string): string =>
  readdirSync(join(packageDir, 'assets'))
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(join(packageDir, 'assets', file), 'utf8'))
    .join('\n');

describe('the built package', () => {
  test('validates with no errors and no warnings when the backend is https', () => {
    const report = validatePackage(built.packageDir);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(built.report).toEqual(report);
    expect(built.publicUrlKind).toBe('https');
  });

  test("explains the warnings Zendesk's own validator still gives it, which are false positives", () => {
    const script = allScripts(built.packageDir);
    // Zendesk warns about every `http:` and every "password" in the scripts: there are some…
    expect(script).toContain('http:');
    expect(script).toContain('password');
    // …and each is a string the build knows, named in a notice about the script that holds it.
    expect(new Set(built.report.notices.map((notice) => notice.code))).toEqual(new Set(['zendesk_false_positive']));
    const notices = built.report.notices.map((notice) => notice.message).join('\n');
    expect(notices).toMatch(/"Possible insecure HTTP request to … in assets\/[\w-]+\.js"/);
    expect(notices).toContain('XML namespace names');
    expect(notices).toMatch(/"Possible Password found in assets\/[\w-]+\.js" and "Possible secrets found in assets\/[\w-]+\.js"/);
    expect(notices).toContain("React DOM's table of text input types");
    for (const notice of built.report.notices) expect(notice.path).toMatch(/^assets\/[\w-]+\.js$/);
  });

  test('still holds every string the false-positive list names (an entry that no longer occurs should go)', () => {
    const script = allScripts(built.packageDir);
    for (const entry of FALSE_POSITIVES) expect(script.match(entry.pattern), entry.what).not.toBeNull();
  });

  test('has the manifest the sidebar, the queue and its preloader need, with the backend whitelisted', () => {
    const manifest = readJson(join(built.packageDir, 'manifest.json'));
    expect(manifest).toMatchObject({
      frameworkVersion: '2.0',
      defaultLocale: 'en',
      private: false,
      location: {
        support: {
          ticket_sidebar: { url: 'assets/index.html', flexible: true },
          top_bar: { url: 'assets/top_bar.html', size: { width: expect.stringMatching(/^\d+px$/), height: expect.stringMatching(/^\d+px$/) } },
          background: { url: 'assets/background.html' },
        },
      },
      domainWhitelist: ['countersign.example.com'],
      parameters: [{ name: 'review_key', type: 'text', secure: true, required: true, scopes: ['header'] }],
    });
    expect(Object.keys(manifest.location.support).sort()).toEqual(['background', 'ticket_sidebar', 'top_bar']);
    expect(manifest.author).toEqual({ name: 'Countersign', email: expect.stringContaining('@'), url: expect.stringMatching(/^https:\/\//) });
    expect(manifest.parameters).toHaveLength(1);
  });

  test('lays out each page with relative script URLs, real logos, the top-bar icon and both translations, and no source maps', () => {
    const assets = readdirSync(join(built.packageDir, 'assets')).sort();
    const pages = ['background', 'index', 'top_bar'];
    for (const page of pages) expect(assets).toEqual(expect.arrayContaining([`${page}.html`, `${page}.js`]));
    expect(assets).toEqual(expect.arrayContaining(['icon_top_bar.svg', 'logo-small.png', 'logo.png']));
    // Besides those, only the chunks the pages share.
    const others = assets.filter((file) => !pages.some((page) => file === `${page}.html` || file === `${page}.js`) && !['icon_top_bar.svg', 'logo-small.png', 'logo.png'].includes(file));
    for (const file of others) expect(file).toMatch(/^(shared-[\w-]+|rolldown-runtime)\.js$/);
    for (const page of pages) {
      const html = readFileSync(join(built.packageDir, 'assets', `${page}.html`), 'utf8');
      const scripts = [...html.matchAll(/src="([^"]+)"/g)].map((match) => match[1]!);
      expect(scripts, page).toEqual([`./${page}.js`]);
      for (const href of [...html.matchAll(/href="([^"]+)"/g)].map((match) => match[1]!)) {
        expect(href, page).toMatch(/^\.\/[\w-]+\.js$/);
        expect(assets, page).toContain(href.slice(2));
      }
    }
    expect(readPngSize(readFileSync(join(built.packageDir, 'assets', 'logo.png')))).toEqual({ width: 320, height: 320 });
    expect(readPngSize(readFileSync(join(built.packageDir, 'assets', 'logo-small.png')))).toEqual({ width: 128, height: 128 });
    expect(readdirSync(join(built.packageDir, 'translations')).sort()).toEqual(['de.json', 'en.json']);
    expect(readJson(join(built.packageDir, 'translations', 'de.json')).app.parameters.review_key.label).toBe('Prüfschlüssel');

    const script = allScripts(built.packageDir);
    expect(script).toContain(PUBLIC_URL);
    expect(script).toContain('{{setting.review_key}}');
    expect(script).not.toContain('sourceMappingURL');
    expect(built.scriptGzipBytes).toBeGreaterThan(10_000);
    expect(built.scriptGzipBytes).toBeLessThan(200 * 1024);
  });

  test('compiles JSX for production even when built from a test runner (NODE_ENV=test)', () => {
    expect(process.env.NODE_ENV).toBe('test');
    // React's production jsx-dev-runtime has no jsxDEV: a call to it would break every page at start.
    expect(allScripts(built.packageDir)).not.toContain('jsxDEV');
  });

  test('gives the top-bar icon a symbol for every count the queue shows, each with a viewBox', () => {
    const svg = readFileSync(join(built.packageDir, 'assets', 'icon_top_bar.svg'), 'utf8');
    const symbols = [...svg.matchAll(/<symbol id="([^"]+)" viewBox="0 0 18 18">/g)].map((match) => match[1]);
    expect(symbols).toEqual(badgeSymbols());
    expect(symbols).toContain('default'); // Zendesk shows the one named default first
    expect(svg.match(/<symbol /g)).toHaveLength(symbols.length);
    expect(svg).not.toMatch(/<script|<style|on\w+=|href=/i);
  });

  test("writes each locale's Zendesk texts (app) into the package, and the app's messages (ui) only into its scripts", () => {
    const script = allScripts(built.packageDir);
    for (const locale of ['en', 'de']) {
      const source = readJson(resolve(__dirname, '../../zendesk-app/translations', `${locale}.json`));
      const packaged = readJson(join(built.packageDir, 'translations', `${locale}.json`));
      expect(packaged, locale).toEqual({ app: source.app });
      expect(script, locale).toContain(source.ui['sidebar.empty.title']);
      expect(script, locale).toContain(source.ui['queue.empty.title']);
      expect(script, locale).not.toContain(source.app.short_description);
    }
  });

  test('zips the package with manifest.json at the root, outside the package directory', () => {
    expect(built.zipPath.startsWith(built.packageDir)).toBe(false);
    const entries = zipEntryNames(readFileSync(built.zipPath));
    expect(entries).toContain('manifest.json');
    const packaged = readdirSync(join(built.packageDir, 'assets')).map((file) => `assets/${file}`);
    expect(entries.sort()).toEqual([...packaged, 'manifest.json', 'translations/de.json', 'translations/en.json'].sort());
    expect(existsSync(join(built.packageDir, 'countersign-zendesk-app.zip'))).toBe(false);
  });

  test('builds with a plain-http backend on another host, but warns about it', async () => {
    const http = await buildZendeskApp({ outDir: join(workDir, 'plain-http'), publicUrl: 'http://countersign.example.com' });
    expect(http.publicUrlKind).toBe('remote-http');
    expect(http.report.errors).toEqual([]);
    expect(http.report.warnings).toEqual([
      { code: 'insecure_http_url', message: expect.stringMatching(/^Possible insecure HTTP request to http:\/\/countersign\.example\.com in assets\/[\w-]+\.js$/), path: expect.stringMatching(/^assets\/[\w-]+\.js$/) },
    ]);
  }, 120_000);

  test('by default makes a development build for http://localhost:8080, and says so', () => {
    const outDir = join(workDir, 'development');
    const env = { ...process.env };
    delete env.COUNTERSIGN_PUBLIC_URL;
    const root = resolve(__dirname, '../..');
    const run = spawnSync(join(root, 'node_modules/.bin/tsx'), ['zendesk-app/scripts/build.ts', '--out-dir', outDir], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('Development build: the sidebar calls Countersign at http://localhost:8080, over plain http on this machine.');
    expect(run.stdout).toContain('For an upload, build with COUNTERSIGN_PUBLIC_URL=https://');
    const report = validatePackage(join(outDir, 'app'));
    expect(report.warnings).toEqual([]);
    expect(report.notices.map((notice) => notice.code)).toContain('local_http_url');
  }, 120_000);

  test('refuses a backend URL that is not http(s) before touching the output', async () => {
    await expect(buildZendeskApp({ outDir: join(workDir, 'never'), publicUrl: 'ftp://countersign.example.com' })).rejects.toThrow(/http\(s\)/);
    expect(existsSync(join(workDir, 'never'))).toBe(false);
  });
});

type Breakage = (dir: string) => void;

/** The package's script holding `text` (a chunk of the bundler's choosing). */
function scriptWith(dir: string, text: string): string {
  const file = readdirSync(join(dir, 'assets')).find((name) => name.endsWith('.js') && readFileSync(join(dir, 'assets', name), 'utf8').includes(text));
  if (!file) throw new Error(`no script in the package holds ${text}`);
  return file;
}

function editManifest(edit: (manifest: Json) => void): Breakage {
  return (dir) => {
    const manifest = readJson(join(dir, 'manifest.json'));
    edit(manifest);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  };
}

function editSidebar(edit: (location: Json) => void): Breakage {
  return editManifest((manifest) => edit(manifest.location.support.ticket_sidebar));
}

function editParameters(edit: (parameters: Json[]) => void): Breakage {
  return editManifest((manifest) => edit(manifest.parameters));
}

function editTranslation(locale: string, edit: (translation: Json) => void): Breakage {
  return (dir) => {
    const path = join(dir, 'translations', `${locale}.json`);
    const translation = readJson(path);
    edit(translation);
    writeFileSync(path, JSON.stringify(translation));
  };
}

function addFile(path: string, content: string | Buffer): Breakage {
  return (dir) => writeFileSync(join(dir, path), content);
}

const ZIP_BYTES = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]);

/** [rule, breakage, the error code the validator must report] */
const BROKEN_PACKAGES: Array<[string, Breakage, string]> = [
  ['manifest.json is missing', (dir) => unlinkSync(join(dir, 'manifest.json')), 'missing_manifest'],
  ['manifest.json is not JSON', addFile('manifest.json', '{"name": '), 'manifest_not_json'],
  ['author is required', editManifest((m) => delete m.author), 'missing_keys'],
  ['author needs a name and email', editManifest((m) => (m.author = { url: 'https://x.test' })), 'missing_author_field'],
  ['defaultLocale is required', editManifest((m) => delete m.defaultLocale), 'missing_keys'],
  ['frameworkVersion is required', editManifest((m) => delete m.frameworkVersion), 'missing_keys'],
  ['frameworkVersion must be 2.0', editManifest((m) => (m.frameworkVersion = '1.0')), 'invalid_version'],
  ['private must be a boolean', editManifest((m) => (m.private = 'false')), 'unacceptable_boolean'],
  ['singleInstall must be a boolean', editManifest((m) => (m.singleInstall = 1)), 'unacceptable_boolean'],
  ['version must be a string', editManifest((m) => (m.version = 1)), 'unacceptable_string'],
  ['domainWhitelist must be strings', editManifest((m) => (m.domainWhitelist = [42])), 'unacceptable_array_of_strings'],
  ['parameters must be an array', editManifest((m) => (m.parameters = { review_key: {} })), 'unacceptable_array'],
  ['only known experiments', editManifest((m) => (m.experiments = { warpDrive: true })), 'invalid_experiments'],
  ['defaultLocale must look like a locale', editManifest((m) => (m.defaultLocale = 'English')), 'invalid_default_locale'],
  ['defaultLocale needs its translation file', editManifest((m) => (m.defaultLocale = 'fr')), 'missing_translation_file'],
  ['location is required', editManifest((m) => delete m.location), 'missing_keys'],
  ['location must not be empty', editManifest((m) => (m.location = {})), 'missing_keys'],
  ['products must be known', editManifest((m) => (m.location = { zendesk_talk: { ticket_sidebar: 'assets/index.html' } })), 'invalid_host'],
  ['locations must be known', editManifest((m) => (m.location.support = { ticket_sidebars: { url: 'assets/index.html' } })), 'invalid_location'],
  ['relative URLs must be under assets/', editSidebar((l) => (l.url = 'index.html')), 'invalid_location_uri'],
  ['relative URLs must exist', editSidebar((l) => (l.url = 'assets/missing.html')), 'invalid_location_uri'],
  ['absolute URLs must be https', editSidebar((l) => (l.url = 'http://example.com/sidebar.html')), 'invalid_location_uri'],
  ['an auto-loading location needs a URL', editSidebar((l) => delete l.url), 'blank_location_uri'],
  ['flexible must be a boolean', editSidebar((l) => (l.flexible = 'yes')), 'invalid_location_flexible_type'],
  ['noTemplate is gone in 2.0', editSidebar((l) => (l.noTemplate = true)), 'no_template_deprecated_in_v2'],
  ['parameter types must be known', editParameters((p) => (p[0]!.type = 'secret')), 'invalid_type_parameter'],
  ['parameter attributes must be known', editParameters((p) => (p[0]!.label = 'Review key')), 'invalid_parameter_attribute'],
  ['parameter names must be unique', editParameters((p) => p.push({ ...p[0]! })), 'duplicate_parameters'],
  ['no parameter may be called name', editParameters((p) => p.push({ name: 'name', type: 'text' })), 'name_as_parameter_name'],
  ['required must be a boolean', editParameters((p) => (p[0]!.required = 'yes')), 'unacceptable_boolean'],
  ['secure must be a boolean', editParameters((p) => (p[0]!.secure = 1)), 'unacceptable_boolean'],
  ['hidden parameters cannot be required', editParameters((p) => p.push({ name: 'region', type: 'hidden', required: true })), 'invalid_hidden_parameter'],
  ['oauth parameters cannot be secure', editParameters((p) => p.push({ name: 'token', type: 'oauth', secure: true })), 'oauth_parameter_cannot_be_secure'],
  ['one oauth parameter at most', editParameters((p) => p.push({ name: 'a', type: 'oauth' }, { name: 'b', type: 'oauth' })), 'too_many_oauth_parameters'],
  ['scopes only on secure parameters', editParameters((p) => (p[0]!.secure = false)), 'scopes_require_secure'],
  ['scopes from the allowed list', editParameters((p) => (p[0]!.scopes = ['cookie'])), 'invalid_scopes'],
  ['scopes must not be empty', editParameters((p) => (p[0]!.scopes = [])), 'invalid_scopes'],
  ['translation files are named by locale', addFile('translations/english.json', '{}'), 'translation_invalid_locale'],
  ['translation files are JSON', addFile('translations/fr.json', 'not json'), 'translation_not_json'],
  ['translation files hold objects', addFile('translations/fr.json', '[]'), 'translation_not_json_object'],
  ['every parameter has a label', editTranslation('en', (t) => delete t.app.parameters.review_key.label), 'missing_parameter_label'],
  ['translated parameter entries have labels', editTranslation('de', (t) => (t.app.parameters.review_key = { helpText: 'x' })), 'translation_missing_label'],
  ['a public app needs the Marketplace texts', editTranslation('en', (t) => delete t.app.long_description), 'translation_missing_required_key'],
  ['every package has translations/en.json', (dir) => unlinkSync(join(dir, 'translations', 'en.json')), 'missing_translation_file'],
  ['no zip files', addFile('assets/bundle.zip', ZIP_BYTES), 'unsupported_mime_type'],
  ['no renamed archives', addFile('assets/data.txt', ZIP_BYTES), 'unsupported_mime_type'],
  ['no gzip files', addFile('assets/index.js.gz', Buffer.from([0x1f, 0x8b, 8, 0])), 'unsupported_mime_type'],
  ['no PDFs', addFile('assets/terms.pdf', '%PDF-1.7'), 'unsupported_mime_type'],
  ['no Word documents', addFile('assets/notes.docx', 'x'), 'unsupported_mime_type'],
  ['no spreadsheets', addFile('assets/prices.xlsx', 'x'), 'unsupported_mime_type'],
  ['no MP3s', addFile('assets/ding.mp3', 'x'), 'unsupported_mime_type'],
  ['no jars', addFile('assets/tool.jar', 'x'), 'unsupported_mime_type'],
  ['no shell scripts', addFile('assets/install.sh', 'echo hi'), 'unsupported_mime_type'],
  ['no disguised shell scripts', addFile('assets/run.txt', '#!/bin/sh\necho hi'), 'unsupported_mime_type'],
  ['no executables', addFile('assets/setup.exe', 'MZ'), 'unsupported_mime_type'],
  ['no 7z archives', addFile('assets/a.7z', 'x'), 'unsupported_mime_type'],
  ['no source maps', addFile('assets/index.js.map', '{}'), 'source_map'],
  ['no symlinks', (dir) => symlinkSync(join(dir, 'assets', 'index.js'), join(dir, 'assets', 'link.js')), 'symlink'],
  ['no nested manifest', addFile('assets/manifest.json', '{}'), 'nested_manifest'],
  ['logo.png is required', (dir) => unlinkSync(join(dir, 'assets', 'logo.png')), 'missing_logo'],
  ['logo-small.png is required', (dir) => unlinkSync(join(dir, 'assets', 'logo-small.png')), 'missing_logo'],
  ['logos are PNG images', addFile('assets/logo.png', '<svg/>'), 'invalid_logo'],
];

describe('the package validator', () => {
  const copies: string[] = [];
  afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  function brokenCopy(breakage: Breakage): string {
    const dir = mkdtempSync(join(workDir, 'broken-'));
    copies.push(dir);
    cpSync(built.packageDir, dir, { recursive: true });
    breakage(dir);
    return dir;
  }

  test.each(BROKEN_PACKAGES)('%s', (_rule, breakage, code) => {
    const report = validatePackage(brokenCopy(breakage));
    expect(report.errors.map((error) => error.code)).toContain(code);
  });

  test.each<[string, Breakage, string]>([
    ['a secure parameter without scopes', editParameters((p) => delete p[0]!.scopes), 'secure_parameter_without_scopes'],
    ['a secret-looking parameter that is not secure', (dir) => {
      editParameters((p) => p.push({ name: 'api_token', type: 'text' }))(dir);
      editTranslation('en', (t) => (t.app.parameters.api_token = { label: 'API token' }))(dir);
    }, 'insecure_token_parameter'],
    ['a default on a secure parameter', editParameters((p) => (p[0]!.default = 'x')), 'default_secure_or_hidden_parameter'],
    ['a top-bar location without its icon', (dir) => unlinkSync(join(dir, 'assets', 'icon_top_bar.svg')), 'missing_location_icon'],
    ['a logo of the wrong size', (dir) => cpSync(join(dir, 'assets', 'logo-small.png'), join(dir, 'assets', 'logo.png')), 'logo_size'],
    ['plain http URLs in the page', addFile('assets/extra.html', '<a href="http://example.com/x">x</a>'), 'insecure_http_url'],
    ['a plain-http request in the script', addFile('assets/extra.js', 'fetch("http://api.example.com/v1")'), 'insecure_http_url'],
    ['a scheme name in quotes the false positives do not name', addFile('assets/extra.js', 'location.href="http:"+rest'), 'insecure_http_url'],
    ['a password in the script', addFile('assets/extra.js', 'login({user:"bot",password:"hunter2!"})'), 'possible_secret'],
    ['the word password in the script', addFile('assets/extra.js', 'var password'), 'secret_keyword'],
    ["a password beside React's input types", (dir) => appendFileSync(join(dir, 'assets', scriptWith(dir, 'password')), ';var creds={password:"hunter22"};'), 'possible_secret'],
    ['an API token in the script', addFile('assets/extra.js', 'headers={token:"abcd1234efgh"}'), 'possible_secret'],
    ['an AWS key in a translation', editTranslation('en', (t) => (t.app.note = 'AKIAIOSFODNN7EXAMPLE')), 'possible_secret'],
    ['a private key in the page', addFile('assets/extra.html', '<pre>-----BEGIN RSA PRIVATE KEY-----</pre>'), 'possible_secret'],
    ['the word secret in the manifest', editManifest((m) => (m.author.name = 'secret agent')), 'secret_keyword'],
  ])('warns (without failing) about %s', (_rule, breakage, code) => {
    const report = validatePackage(brokenCopy(breakage));
    expect(report.warnings.map((warning) => warning.code)).toContain(code);
    expect(report.errors).toEqual([]);
  });

  test.each<[string, Breakage]>([
    ['an https page URL', editSidebar((l) => (l.url = 'https://app.example.com/sidebar'))],
    ['a localhost page URL (zcli apps:server)', editSidebar((l) => (l.url = 'http://localhost:4567/sidebar'))],
    ['a URL built from a setting', editSidebar((l) => (l.url = '{{setting.sidebar_url}}'))],
    ['a string location', editManifest((m) => (m.location.support.ticket_sidebar = 'assets/index.html'))],
    ['a private app without Marketplace texts', (dir) => {
      editManifest((m) => (m.private = true))(dir);
      editTranslation('en', (t) => delete t.app.long_description)(dir);
    }],
  ])('accepts %s', (_case, change) => {
    expect(validatePackage(brokenCopy(change)).errors).toEqual([]);
  });

  test.each<[string, string]>([
    ['localhost', 'http://localhost:8080/api/approvals'],
    ['127.0.0.1', 'http://127.0.0.1:8080/api/approvals'],
    ['[::1]', 'http://[::1]:8080/api/approvals'],
  ])('notes a plain-http URL to %s (a development build) instead of warning', (_host, url) => {
    const report = validatePackage(brokenCopy(addFile('assets/extra.js', `fetch("${url}")`)));
    expect(report.warnings).toEqual([]);
    expect(report.notices.map((notice) => notice.code)).toContain('local_http_url');
  });
});
