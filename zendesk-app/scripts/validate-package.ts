// Checks a Zendesk app package directory the way Zendesk's upload validation does (zendesk_apps_support,
// see shared/reference/zendesk.md §1.2–1.3), so a broken package fails the build instead of the upload.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFiles } from './package-rules/file-rules';
import { Findings, isRecord, type Finding } from './package-rules/findings';
import { checkLocations } from './package-rules/location-rules';
import { checkManifestFields } from './package-rules/manifest-rules';
import { readPackageContents } from './package-rules/package-contents';
import { checkParameters } from './package-rules/parameter-rules';
import { checkPlainHttp } from './package-rules/plain-http-rules';
import { checkSecrets } from './package-rules/secret-rules';
import { checkTranslations } from './package-rules/translation-rules';

export type { Finding } from './package-rules/findings';

export interface PackageReport {
  errors: Finding[];
  warnings: Finding[];
  /** What Zendesk's validator also reports but is known not to be a problem, each with the reason. */
  notices: Finding[];
}

export function validatePackage(packageDir: string): PackageReport {
  const findings = new Findings();
  if (!existsSync(packageDir)) {
    findings.error('missing_package', `${packageDir} does not exist`);
    return findings;
  }
  const contents = readPackageContents(packageDir);
  checkFiles(contents, findings);
  // Warnings only, like Zendesk's: they run whatever the manifest says.
  checkPlainHttp(contents, findings);
  checkSecrets(contents, findings);
  if (!contents.has('manifest.json')) {
    if (!contents.files.some((file) => file.endsWith('/manifest.json'))) findings.error('missing_manifest', 'manifest.json is missing from the package root');
    return findings;
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(contents.read('manifest.json').toString('utf8'));
  } catch (error) {
    findings.error('manifest_not_json', `manifest.json is not valid JSON: ${(error as Error).message}`, 'manifest.json');
    return findings;
  }
  if (!isRecord(manifest)) {
    findings.error('manifest_not_json', 'manifest.json must hold a JSON object', 'manifest.json');
    return findings;
  }
  checkManifestFields(manifest, contents, findings);
  checkLocations(manifest, contents, findings);
  checkParameters(manifest, findings);
  checkTranslations(manifest, contents, findings);
  return findings;
}

export function formatFinding(finding: Finding): string {
  return `${finding.code}: ${finding.message}`;
}

// `npx tsx zendesk-app/scripts/validate-package.ts [dir]` checks any package directory.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? join(fileURLToPath(new URL('..', import.meta.url)), 'dist', 'app');
  const report = validatePackage(dir);
  for (const finding of report.errors) console.error(`error   ${formatFinding(finding)}`);
  for (const finding of report.warnings) console.warn(`warning ${formatFinding(finding)}`);
  for (const finding of report.notices) console.log(`notice  ${formatFinding(finding)}`);
  console.log(`${dir}: ${report.errors.length} error(s), ${report.warnings.length} warning(s), ${report.notices.length} notice(s)`);
  process.exitCode = report.errors.length > 0 ? 1 : 0;
}
