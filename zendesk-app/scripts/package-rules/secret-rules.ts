// Secrets in the package's text files. Zendesk's validator (zendesk_apps_support,
// validations/secrets.rb) scans every file whose name ends in html, htm, xml, js or json, and warns
// "Possible <kind> found in <file>" for each pattern below that matches (truffleHog's patterns plus
// Zendesk's own), and once more for the files holding one of its keywords anywhere. The same scans
// run here, on the text with the known false positives blanked out, which become notices.
import { withoutFalsePositives } from './false-positives';
import type { Findings } from './findings';
import type { PackageContents } from './package-contents';

const SCANNED = /(html?|xml|js|json?)$/; // Zendesk's text_files (no dot required)

/** Zendesk's keyword list, matched case-sensitively as it is there. */
const KEYWORDS = /password|secret|secretToken|secret_token|auth_key|authKey|auth_pass|authPass|auth_user|AuthUser|api_key/g;

/** Zendesk spells letters as [aA] classes where either case counts (and nowhere else: no flag would do). */
const ci = (word: string) => word.replace(/[a-z]/gi, (letter) => `[${letter.toLowerCase()}${letter.toUpperCase()}]`);
/** After a word, the separators Zendesk's patterns accept before the value, and the value. */
const SEP = String.raw`( [:"=-]|[:"=-])`;
const VALUE = String.raw`.*.[0-9a-zA-Z+_.-]{4,156}`;
const pattern = (source: string, flags = '') => new RegExp(source, flags);
const keyed = (...words: string[]) => pattern(`${words.map(ci).join('[-_]')}${SEP}${VALUE}`);

/** [the name Zendesk reports, its pattern], in Zendesk's order. */
const SECRET_PATTERNS: ReadonlyArray<readonly [string, RegExp]> = [
  ['Slack Token', /xox[pboa|]-*.[a-z0-9]/],
  ['RSA Private Key', /-----BEGIN RSA PRIVATE KEY-----/],
  ['SSH Private Key (OpenSSH)', /-----BEGIN OPENSSH PRIVATE KEY-----/],
  ['SSH Private Key (DSA)', /-----BEGIN DSA PRIVATE KEY-----/],
  ['SSH Private Key (EC)', /-----BEGIN EC PRIVATE KEY-----/],
  ['PGP Private Key Block', /-----BEGIN PGP PRIVATE KEY BLOCK-----/],
  ['Facebook OAuth Token', pattern(`${ci('facebook')}( [|:"=-]|[:"=-|]).*.[0-9a-f]{24,36}`)],
  ['Twitter OAuth Token', pattern(`${ci('twitter')}${SEP}.*.[0-9a-zA-Z]{30,45}`)],
  ['Github Token', pattern(`${ci('github')}${SEP}.*.[0-9a-zA-Z]{30,45}`)],
  ['Google OAuth Token', pattern(`${ci('client')}[-_]${ci('secret')}${SEP}.*[a-zA-Z0-9_-]{16,32}`)],
  ['AWS Access Key ID', /AKIA[0-9A-Z]{8,24}/],
  ['AWS Secret Access Key', pattern(`${['aws', 'secret', 'access', 'key'].map(ci).join('[_-]')}.*.[0-9a-zA-Z]{24,48}`)],
  ['Heroku API Key', pattern(`${ci('heroku')}.*[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{6,18}`)],
  ['Quickpay Secret', /quickpay_secret:.*.[0-9a-zA-Z]{24,72}/],
  ['Doorman Secret', pattern(`${ci('doorman')}[-_]${ci('secret')}.*.[0-9a-f]{16,132}`)],
  ['Shared Session Secret', /shared_session_secret.*.[0-9a-f]{4,132}/],
  ['Permanent Cookie Secret', /permanent_cookie_secret.*.[0-9a-f]{120,156}/],
  ['Scarlett AWS Secret Key', pattern(`${['scarlett', 'aws', 'secret', 'key'].map(ci).join('[_-]')}.*.[0-9a-zA-Z+.]{35,45}`)],
  ['Braintree Key', /braintree_key.*.[0-9a-zA-Z]{16,36}/],
  ['Ticket Validation Key', /ticket_validation_key.*.[0-9a-zA-Z]{15,25}/],
  ['App Key', keyed('app', 'key')],
  ['App Secret', keyed('app', 'secret')],
  ['Consumer Key', keyed('consumer', 'key')],
  ['Consumer Secret', keyed('consumer', 'secret')],
  // Ruby's (?m) is JavaScript's s: the value may be on a later line. ^ is a line start in Ruby, always.
  ['Generic Secret', pattern(`^${ci('secret')}${SEP}${VALUE}`, 'ms')],
  ['Master Key', keyed('master', 'key')],
  ['Master Secret', keyed('master', 'secret')],
  ['Token Key', keyed('token', 'key')],
  ['Token Secret', keyed('token', 'secret')],
  ['Zendesk Zopim Mobile SSO Key', /zendesk_zopim_mobile_sso_key.*.[0-9a-f]{58,68}/],
  ['Help Center Private Key', keyed('private', 'key')],
  ['X-Outbound-Key', pattern(`${['x', 'outbound', 'key'].map(ci).join('-')}[:" \t=-].*.[0-9a-z-]{32,36}`)],
  ['Attachment Token Key', /attachment_token_key.*.[0-9a-f]{24,72}/],
  ['Password', pattern(`${ci('password')}${VALUE}`)],
  ['Token', keyed('token')],
];

export function checkSecrets(contents: PackageContents, findings: Findings): void {
  for (const path of contents.files.filter((file) => SCANNED.test(file))) {
    const original = contents.read(path).toString('utf8');
    const { text, found } = withoutFalsePositives(original, 'secret');
    for (const [kind, pattern] of SECRET_PATTERNS) {
      if (pattern.test(text)) findings.warn('possible_secret', `Possible ${kind} found in ${path}`, path);
    }
    const words = [...new Set(text.match(KEYWORDS) ?? [])];
    if (words.length > 0) findings.warn('secret_keyword', `Possible secrets found in ${path} (${words.map((word) => `'${word}'`).join(', ')})`, path);
    const explained = warningsRaised(original).filter((warning) => !warningsRaised(text).includes(warning));
    if (explained.length > 0) {
      const quoted = explained.map((warning) => `"${warning} in ${path}"`).join(' and ');
      findings.notice('zendesk_false_positive', `Zendesk's validator says ${quoted}, because of strings that are no credentials: ${found.map((entry) => entry.what).join('; ')}`, path);
    }
  }
}

/** The warnings Zendesk's scan raises for a text, by their opening words. */
function warningsRaised(text: string): string[] {
  const raised = SECRET_PATTERNS.filter(([, pattern]) => pattern.test(text)).map(([kind]) => `Possible ${kind} found`);
  return new RegExp(KEYWORDS.source).test(text) ? [...raised, 'Possible secrets found'] : raised;
}
