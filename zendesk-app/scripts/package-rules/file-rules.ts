// The files themselves: no archives, documents, media or executables (by extension or content), no
// symlinks, one manifest at the root, and the two logos the Marketplace shows.
import { readPngSize } from '../png';
import type { Findings } from './findings';
import type { PackageContents } from './package-contents';

const FORBIDDEN_EXTENSIONS = new Set([
  'zip', 'rar', 'gz', 'gzip', 'tgz', 'tar', 'bz', 'bz2', 'xz', '7z',
  'pdf', 'doc', 'docx', 'odt', 'xls', 'xlsx', 'ppt', 'pptx',
  'mp3', 'mpeg', 'mpg', 'avi',
  'jar', 'sh', 'csh', 'bin', 'exe', 'dll', 'msi', 'dmg', 'iso', 'apk', 'class',
]);

/** Content signatures, so a renamed archive or binary is caught too. */
const FORBIDDEN_SIGNATURES: Array<{ kind: string; bytes: number[] }> = [
  { kind: 'zip archive (or docx/xlsx/jar)', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { kind: 'gzip archive', bytes: [0x1f, 0x8b] },
  { kind: 'PDF document', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { kind: 'RAR archive', bytes: [0x52, 0x61, 0x72, 0x21] },
  { kind: '7z archive', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { kind: 'ELF executable', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { kind: 'Office document', bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { kind: 'MP3 audio', bytes: [0x49, 0x44, 0x33] },
  { kind: 'shell script', bytes: [0x23, 0x21, 0x2f] }, // "#!/"
];

export const LOGOS: Record<string, number> = { 'assets/logo.png': 320, 'assets/logo-small.png': 128 };

export function checkFiles(contents: PackageContents, findings: Findings): void {
  for (const path of contents.symlinks) findings.error('symlink', `${path} is a symlink; packages may not contain symlinks`, path);
  for (const path of contents.files) {
    if (path !== 'manifest.json' && path.split('/').pop() === 'manifest.json') findings.error('nested_manifest', `${path}: manifest.json belongs at the package root only`, path);
    checkFileType(path, contents, findings);
  }
  checkLogos(contents, findings);
}

function checkFileType(path: string, contents: PackageContents, findings: Findings): void {
  const extension = path.includes('.') ? path.slice(path.lastIndexOf('.') + 1).toLowerCase() : '';
  if (FORBIDDEN_EXTENSIONS.has(extension)) return findings.error('unsupported_mime_type', `${path}: .${extension} files are not allowed in an app package`, path);
  // Our own rule, stricter than Zendesk's: source maps would publish the app's sources and have no use there.
  if (extension === 'map') return findings.error('source_map', `${path}: source maps do not belong in the package`, path);
  const head = contents.read(path).subarray(0, 8);
  const match = FORBIDDEN_SIGNATURES.find(({ bytes }) => bytes.every((byte, index) => head[index] === byte));
  if (match) findings.error('unsupported_mime_type', `${path} is a ${match.kind}, which is not allowed in an app package`, path);
}

function checkLogos(contents: PackageContents, findings: Findings): void {
  for (const [path, size] of Object.entries(LOGOS)) {
    if (!contents.has(path)) {
      findings.error('missing_logo', `${path} is required (${size}×${size} PNG)`, path);
      continue;
    }
    const actual = readPngSize(contents.read(path));
    if (!actual) findings.error('invalid_logo', `${path} is not a PNG image`, path);
    else if (actual.width !== size || actual.height !== size) findings.warn('logo_size', `${path} is ${actual.width}×${actual.height}; the Marketplace expects ${size}×${size}`, path);
  }
}
