// Plain-http URLs in the app's JavaScript and HTML. Zendesk's validator warns "Possible insecure HTTP
// request to … in <file>" for every `http:` URI it finds there (zendesk_apps_support,
// validations/requests.rb: a scan with Ruby's URI regexp for the http scheme, which matches `http:`
// followed by anything or nothing). Here each one is a warning, except the known false positives and a
// URL to this machine (a development build), which are notices.
import { withoutFalsePositives } from './false-positives';
import type { Findings } from './findings';
import type { PackageContents } from './package-contents';

const SCANNED = /\.(jsx?|html?)$/; // Zendesk's js_files and html_files
const HTTP_URL = /http:[^\s"'`<>\\)]*/g;
const LOOPBACK_HOST = /^(localhost|[\w-]+\.localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export function checkPlainHttp(contents: PackageContents, findings: Findings): void {
  for (const path of contents.files.filter((file) => SCANNED.test(file))) {
    const { text, found } = withoutFalsePositives(contents.read(path).toString('utf8'), 'plain_http');
    const urls = [...new Set(text.match(HTTP_URL) ?? [])];
    const local = urls.filter(isLoopback);
    const remote = urls.filter((url) => !isLoopback(url));
    if (remote.length > 0) findings.warn('insecure_http_url', `Possible insecure HTTP request to ${listed(remote)} in ${path}`, path);
    if (local.length > 0) {
      findings.notice('local_http_url', `${path} calls ${listed(local)} over plain http: fine for a development build on this machine, but Zendesk's validator warns about it and Zendesk's proxy cannot reach it`, path);
    }
    if (found.length > 0) {
      findings.notice('zendesk_false_positive', `Zendesk's validator says "Possible insecure HTTP request to … in ${path}", because of strings that are never requested: ${found.map((entry) => entry.what).join('; ')}`, path);
    }
  }
}

/** localhost, *.localhost, 127.x.x.x or [::1]: only ever this machine. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOST.test(hostname);
}

function isLoopback(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false; // not even a URL (a bare "http:"): reported as it stands
  }
}

function listed(urls: string[]): string {
  return urls.slice(0, 3).join(', ') + (urls.length > 3 ? ` and ${urls.length - 3} more` : '');
}
