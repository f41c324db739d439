// Builds the Zendesk app: bundles its pages (sidebar, top-bar queue, background) with Vite, lays out the package (manifest.json,
// assets/, translations/), validates it like Zendesk's upload does, and zips it for upload.
//   npm run build                       → zendesk-app/dist/app/ and zendesk-app/dist/countersign-zendesk-app.zip
//   COUNTERSIGN_PUBLIC_URL=https://…    → the backend the app calls (and whitelists); the default,
//                                         http://localhost:8080, makes a development build
//   npx tsx zendesk-app/scripts/build.ts --out-dir <dir>   → somewhere else than zendesk-app/dist
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { appManifest } from './manifest';
import { LOGOS } from './package-rules/file-rules';
import { isLoopbackHost } from './package-rules/plain-http-rules';
import { formatFinding, validatePackage, type PackageReport } from './validate-package';
import { DEFAULT_PUBLIC_URL, sidebarViteConfig } from './vite-config';
import { zipPackage } from './zip-package';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_OUT_DIR = join(APP_DIR, 'dist');
export const ZIP_NAME = 'countersign-zendesk-app.zip';
export const SCRIPT_BUDGET_GZIP_BYTES = 200 * 1024;

export interface BuildOptions {
  /** Receives app/ (the package) and the zip; emptied first. */
  outDir?: string;
  publicUrl?: string;
}

/** https: for upload. Plain http to this machine: a development build (npm start, the playground). Anything else: warned about. */
export type PublicUrlKind = 'https' | 'local-http' | 'remote-http';

export interface BuildResult {
  publicUrl: string;
  publicUrlKind: PublicUrlKind;
  packageDir: string;
  zipPath: string;
  zipEntries: string[];
  scriptGzipBytes: number;
  report: PackageReport;
}

export class PackageInvalidError extends Error {
  constructor(readonly report: PackageReport) {
    super(`The app package is invalid:\n${report.errors.map((finding) => `  ${formatFinding(finding)}`).join('\n')}`);
    this.name = 'PackageInvalidError';
  }
}

export async function buildZendeskApp(options: BuildOptions = {}): Promise<BuildResult> {
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const publicUrl = normalisePublicUrl(options.publicUrl ?? process.env.COUNTERSIGN_PUBLIC_URL ?? DEFAULT_PUBLIC_URL);
  const packageDir = join(outDir, 'app');
  rmSync(outDir, { recursive: true, force: true });

  await build(sidebarViteConfig({ assetsDir: join(packageDir, 'assets'), publicUrl }));
  writePackageFiles(packageDir, publicUrl);

  const report = validatePackage(packageDir);
  if (report.errors.length > 0) throw new PackageInvalidError(report);
  const zipPath = join(outDir, ZIP_NAME);
  const zipEntries = await zipPackage(packageDir, zipPath);
  const publicUrlKind = kindOfPublicUrl(publicUrl);
  return { publicUrl, publicUrlKind, packageDir, zipPath, zipEntries, scriptGzipBytes: scriptGzipBytes(join(packageDir, 'assets')), report };
}

function writePackageFiles(packageDir: string, publicUrl: string): void {
  writeFileSync(join(packageDir, 'manifest.json'), `${JSON.stringify(appManifest({ publicUrl }), null, 2)}\n`);
  for (const logo of Object.keys(LOGOS)) copyFileSync(join(APP_DIR, 'static', logo.replace(/^assets\//, '')), join(packageDir, logo));
  // The top bar's icon, with a symbol per count for the queue's badge.
  for (const icon of readdirSync(join(APP_DIR, 'static')).filter((file) => /^icon_\w+\.svg$/.test(file))) copyFileSync(join(APP_DIR, 'static', icon), join(packageDir, 'assets', icon));
  writeTranslations(packageDir);
}

/**
 * Each translations/<locale>.json holds the package's texts for Zendesk (`app`: name, descriptions,
 * setting labels) and the sidebar's messages (`ui`, bundled into the script). The package gets the
 * `app` section alone: what Zendesk's validator and Marketplace read, and nothing else.
 */
function writeTranslations(packageDir: string): void {
  const source = join(APP_DIR, 'translations');
  mkdirSync(join(packageDir, 'translations'), { recursive: true });
  for (const file of readdirSync(source).filter((name) => name.endsWith('.json'))) {
    const { app } = readTranslation(join(source, file));
    writeFileSync(join(packageDir, 'translations', file), `${JSON.stringify({ app }, null, 2)}\n`);
  }
}

function readTranslation(path: string): { app?: unknown } {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { app?: unknown };
  } catch (error) {
    throw new Error(`${displayPath(path)} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function normalisePublicUrl(raw: string): string {
  const url = new URL(raw); // throws on a malformed setting: better here than in every agent's sidebar
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`COUNTERSIGN_PUBLIC_URL must be http(s), got ${raw}`);
  return url.origin + url.pathname.replace(/\/+$/, '');
}

function kindOfPublicUrl(publicUrl: string): PublicUrlKind {
  const { protocol, hostname } = new URL(publicUrl);
  if (protocol === 'https:') return 'https';
  return isLoopbackHost(hostname) ? 'local-http' : 'remote-http';
}

function scriptGzipBytes(assetsDir: string): number {
  return readdirSync(assetsDir)
    .filter((file) => file.endsWith('.js'))
    .reduce((total, file) => total + gzipSync(readFileSync(join(assetsDir, file))).length, 0);
}

/** Relative to the repository root when inside it (npm runs this script from zendesk-app/). */
function displayPath(path: string): string {
  const fromRoot = relative(join(APP_DIR, '..'), path);
  return fromRoot.startsWith('..') || isAbsolute(fromRoot) ? path : fromRoot;
}

function developmentBuildNotice(publicUrl: string): string {
  return [
    `Development build: the sidebar calls Countersign at ${publicUrl}, over plain http on this machine. That is`,
    `what npm start and the playground need, but not a package to upload: Zendesk's proxy cannot reach it and`,
    `Zendesk's validator warns about plain http. For an upload, build with COUNTERSIGN_PUBLIC_URL=https://<your Countersign host>.`,
  ].join('\n');
}

function printSummary(result: BuildResult): void {
  const kb = (result.scriptGzipBytes / 1024).toFixed(1);
  console.log(`Zendesk app package: ${displayPath(result.packageDir)}`);
  console.log(`Upload zip:          ${displayPath(result.zipPath)} (${result.zipEntries.length} files)`);
  console.log(`App JavaScript:      ${kb} KB gzipped, all pages (budget ${SCRIPT_BUDGET_GZIP_BYTES / 1024} KB)`);
  if (result.scriptGzipBytes > SCRIPT_BUDGET_GZIP_BYTES) console.warn(`WARNING: the app's JavaScript is over its ${SCRIPT_BUDGET_GZIP_BYTES / 1024} KB gzip budget.`);
  if (result.publicUrlKind === 'remote-http') {
    console.warn(`WARNING: COUNTERSIGN_PUBLIC_URL ${result.publicUrl} is plain http: Zendesk's proxy would send the review key to it unencrypted. Use https.`);
  }
  for (const finding of result.report.warnings) console.warn(`Package warning: ${formatFinding(finding)}`);
  if (result.publicUrlKind === 'local-http') {
    console.log(developmentBuildNotice(result.publicUrl));
    return; // the notes below matter to an upload, and would only be noise on every npm start
  }
  // What Zendesk's own validator (zcli apps:validate, the upload) will still say, and why it is harmless.
  for (const finding of result.report.notices) console.log(`Note: ${finding.message}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } } });
  const outDir = values['out-dir'] === undefined ? undefined : resolve(values['out-dir']);
  buildZendeskApp({ outDir }).then(printSummary, (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
