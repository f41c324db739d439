// The destination host of a delivery: what the per-host cap and the circuit breaker count by. Stored
// beside each delivery (both adapters) so a claim can group and exclude by it.

/**
 * The URL's host with its port when it is not the scheme's default (`api.example.com`,
 * `127.0.0.2:8080`), lower-cased by the URL parser. Name and port together, because that is what
 * answers or hangs: two receivers on one machine's different ports fail independently. A target that
 * is not a URL (it cannot be sent anyway) shares one empty host.
 */
export function deliveryHost(target: string): string {
  try {
    return new URL(target).host;
  } catch {
    return '';
  }
}
