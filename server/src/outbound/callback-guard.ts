// Keeps callbacks away from internal networks (SSRF). Checked twice: at intake for a clear 422, and at
// connect time, where the name is resolved once, every address checked, and the connection pinned to
// a checked address so a DNS answer that changes in between (rebinding) cannot slip through.
import dns from 'node:dns';
import net from 'node:net';
import { isBlockedAddress } from './address-policy';

export type Resolve = (hostname: string) => Promise<string[]>;

const INTAKE_DNS_TIMEOUT_MS = 2000;
const LOCAL_NAMES = /(^|\.)(localhost|localdomain|internal|local|home\.arpa)$/i;

export const systemResolve: Resolve = async (hostname) =>
  (await dns.promises.lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

export class BlockedAddressError extends Error {
  readonly code = 'EBLOCKEDADDRESS';
}

export class CallbackGuard {
  /** URL prefixes on this very server that may be called although they are loopback (the playground's receivers). */
  private readonly trustedPrefixes: string[] = [];

  constructor(
    readonly allowPrivate: boolean,
    private readonly resolve: Resolve = systemResolve,
  ) {}

  /**
   * Trusts one exact origin + path prefix on this server. The prefix must use an IP literal so no DNS
   * answer can redirect it, and only the playground's recording endpoints are ever registered.
   */
  trustPrefix(prefix: string): void {
    const url = new URL(prefix);
    if (!net.isIP(bareHost(url)) || !url.pathname.endsWith('/')) throw new Error('a trusted prefix needs an IP-literal host and a path ending in "/"');
    this.trustedPrefixes.push(url.href);
  }

  private isTrusted(url: URL): boolean {
    return this.trustedPrefixes.some((prefix) => url.href.startsWith(prefix));
  }

  /**
   * The intake check. A name that does not resolve right now is accepted: DNS hiccups must not refuse
   * a real request, and the connect-time check fails closed anyway.
   */
  async intakeProblem(rawUrl: string): Promise<string | null> {
    if (this.allowPrivate || this.isTrusted(new URL(rawUrl))) return null;
    const host = hostOf(rawUrl);
    if (net.isIP(host)) return isBlockedAddress(host) ? 'it points to a private or reserved address' : null;
    if (LOCAL_NAMES.test(host)) return 'it names a local or internal host';
    const addresses = await withTimeout(this.resolve(host), INTAKE_DNS_TIMEOUT_MS).catch(() => null);
    if (addresses?.some(isBlockedAddress)) return 'its host resolves to a private or reserved address';
    return null;
  }

  /** Connect-time check for an IP-literal host (Node does not call `lookup` for those). */
  checkLiteral(url: URL): void {
    const host = bareHost(url);
    if (!this.allowPrivate && !this.isTrusted(url) && net.isIP(host) && isBlockedAddress(host)) throw new BlockedAddressError(`refused to connect to private or reserved address ${host}`);
  }

  /** A `lookup` for http.request that only ever hands the socket checked addresses. */
  readonly lookup: net.LookupFunction = (hostname, options, callback) => {
    const done = callback as (err: Error | null, address: string | dns.LookupAddress[], family?: number) => void;
    this.resolve(hostname)
      .then((addresses) => {
        if (addresses.length === 0) throw new Error(`${hostname} did not resolve`);
        if (!this.allowPrivate && addresses.some(isBlockedAddress)) {
          throw new BlockedAddressError(`refused to connect: ${hostname} resolves to a private or reserved address`);
        }
        const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = addresses.filter((a) => wanted === 0 || net.isIP(a) === wanted);
        if (usable.length === 0) throw new Error(`${hostname} has no IPv${wanted} address`);
        if (options.all) done(null, usable.map((address) => ({ address, family: net.isIP(address) })));
        else done(null, usable[0]!, net.isIP(usable[0]!));
      })
      .catch((error: Error) => done(error, ''));
  };
}

export function hostOf(rawUrl: string): string {
  return bareHost(new URL(rawUrl));
}

/** The URL's host as DNS and IP checks want it: no IPv6 brackets, no trailing root dot. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
