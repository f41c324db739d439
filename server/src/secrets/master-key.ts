// The key that seals secrets at rest: COUNTERSIGN_SECRET_KEY, or one generated into the data dir.
// A check value in the store catches an instance started with a different key before it misbehaves.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Store } from '../approvals/ports';
import { SecretBox } from './secret-box';

export const KEY_FILE = 'secret.key';
const CHECK_META = 'secret_key_check';
const CHECK_PLAINTEXT = 'countersign';

export class SecretKeyError extends Error {}

export function loadSecretKey(configured: string | undefined, dataDir: string): { key: Buffer; generatedAt?: string } {
  if (configured) return { key: decodeKey(configured, 'COUNTERSIGN_SECRET_KEY') };
  const file = path.join(dataDir, KEY_FILE);
  if (fs.existsSync(file)) return { key: decodeKey(fs.readFileSync(file, 'utf8').trim(), file) };
  fs.mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  try {
    fs.writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process sharing the data dir created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { key: decodeKey(fs.readFileSync(file, 'utf8').trim(), file) };
    throw error;
  }
  return { key, generatedAt: file };
}

function decodeKey(text: string, source: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new SecretKeyError(`${source} must be 32 bytes, base64-encoded (for example: openssl rand -base64 32).`);
  return key;
}

/** Refuses to run with a key other than the one this store's secrets were sealed with. */
export async function verifySecretKey(store: Store, box: SecretBox): Promise<void> {
  const stored = await store.meta.putIfAbsent(CHECK_META, box.seal(CHECK_PLAINTEXT, CHECK_META));
  try {
    if (box.open(stored, CHECK_META) === CHECK_PLAINTEXT) return;
  } catch {
    // fall through
  }
  throw new SecretKeyError(
    'The secret key does not match the one this store was set up with; set COUNTERSIGN_SECRET_KEY to the original key.',
  );
}
