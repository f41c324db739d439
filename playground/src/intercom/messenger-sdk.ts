// The Intercom Messenger SDK (@intercom/messenger-js-sdk) for the playground page. The package ships
// CommonJS only, so the page gets a small ES module bundled from it by esbuild, once, on first use —
// and only when INTERCOM_APP_ID is configured (the page asks for it only then).
import { dirname } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// The SDK functions the page uses; esbuild resolves them through its CommonJS interop.
const ENTRY = "export { Intercom, boot, shutdown, update, show, hide } from '@intercom/messenger-js-sdk';\n";

let bundled: Promise<string> | null = null;

export function messengerSdkModule(): Promise<string> {
  bundled ??= bundle().catch((error: unknown) => {
    bundled = null;
    throw error;
  });
  return bundled;
}

async function bundle(): Promise<string> {
  const packageDir = dirname(require.resolve('@intercom/messenger-js-sdk/package.json'));
  const { build } = await import('esbuild');
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: packageDir, sourcefile: 'intercom-messenger-entry.js', loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    logLevel: 'silent',
    legalComments: 'inline',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no output for @intercom/messenger-js-sdk');
  return `// @intercom/messenger-js-sdk (MIT), bundled as an ES module for the Countersign playground.\n${file.text}`;
}
