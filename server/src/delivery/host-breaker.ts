// A circuit breaker per destination host, in memory on each instance. Once an attempt to a host has
// failed, the host gets no new attempt while another is still out to it (a host that stopped answering
// is not fed more while the evidence comes in; one success lifts that). After FAILURES_TO_OPEN failing
// attempts in a row the host is left alone for a cool-down: the worker claims none of its deliveries,
// which keep their attempt count and due time and so spend none of their retries, and its slots go to
// other hosts. Then one probe is let through: a live answer closes the circuit, another failure opens
// it for twice as long (up to MAX_COOLDOWN_MS).
//
// Written here rather than taken from a library (cockatiel, opossum): those wrap each call and refuse
// it while open, but a refused call would already have claimed, leased and counted an attempt on the
// delivery. The worker must instead ask before claiming whether a host may be sent to, and when it may
// be probed, so the store never hands it that host's deliveries.

/** Failing attempts in a row that open a host's circuit. */
export const FAILURES_TO_OPEN = 5;
/** Longest cool-down, however often the probes fail (unless the first cool-down is longer). */
export const MAX_COOLDOWN_MS = 5 * 60_000;

interface HostState {
  /** Failing attempts in a row while closed. */
  failures: number;
  lastFailureAt: number;
  /** When the cool-down ends and a probe may go; null while closed. */
  openUntil: number | null;
  cooldownMs: number;
  /** The delivery sent as the probe, while it is in flight. */
  probe: string | null;
}

export class HostBreakers {
  private readonly hosts = new Map<string, HostState>();

  constructor(
    private readonly firstCooldownMs: number,
    private readonly clock: () => number,
  ) {}

  /**
   * Attempts that may start to this host now: up to `cap` less `busy` while all is well, one at a time
   * after a failure, one probe once an open circuit has cooled down, else none.
   */
  room(host: string, cap: number, busy: number): number {
    const state = this.hosts.get(host);
    if (!state) return Math.max(0, cap - busy);
    if (state.openUntil === null) return busy === 0 ? Math.min(1, cap) : 0;
    // Attempts started before it opened must come back first: a probe is one attempt on its own.
    return this.clock() >= state.openUntil && state.probe === null && busy === 0 ? 1 : 0;
  }

  isClosed(host: string): boolean {
    return (this.hosts.get(host)?.openUntil ?? null) === null;
  }

  /** Hosts with any state (a circuit open, or failures counted), for the claim to be told about. */
  known(): string[] {
    this.forgetStale();
    return [...this.hosts.keys()];
  }

  /** An attempt to the host is starting; on a cooled-down circuit it is the probe. */
  started(host: string, deliveryId: string): void {
    const state = this.hosts.get(host);
    if (state && state.openUntil !== null && this.clock() >= state.openUntil && state.probe === null) state.probe = deliveryId;
  }

  /** An attempt to the host has its answer (or none). */
  finished(host: string, deliveryId: string, failing: boolean): void {
    if (!failing) {
      this.hosts.delete(host); // alive: closed, and the next cool-down starts short again
      return;
    }
    const now = this.clock();
    const state = this.hosts.get(host) ?? { failures: 0, lastFailureAt: now, openUntil: null, cooldownMs: this.firstCooldownMs, probe: null };
    this.hosts.set(host, state);
    state.lastFailureAt = now;
    if (state.openUntil === null) {
      state.failures++;
      if (state.failures >= FAILURES_TO_OPEN) state.openUntil = now + state.cooldownMs;
    } else if (state.probe === deliveryId) {
      state.probe = null;
      state.cooldownMs = Math.min(state.cooldownMs * 2, Math.max(MAX_COOLDOWN_MS, this.firstCooldownMs));
      state.openUntil = now + state.cooldownMs;
    }
    // Other failures while open are attempts started before it opened: already accounted for.
  }

  /** When the earliest open circuit lets a probe through, or null when none is waiting to. */
  nextProbeAt(): number | null {
    let earliest: number | null = null;
    for (const state of this.hosts.values()) {
      if (state.openUntil !== null && state.probe === null && (earliest === null || state.openUntil < earliest)) earliest = state.openUntil;
    }
    return earliest;
  }

  /** Closed hosts whose last failure is long past: their count no longer describes them. */
  private forgetStale(): void {
    const before = this.clock() - MAX_COOLDOWN_MS;
    for (const [host, state] of this.hosts) if (state.openUntil === null && state.lastFailureAt < before) this.hosts.delete(host);
  }
}
