// Whether the store's writes are failing now, for readiness. Every call on the store passes through
// watchWrites, whichever adapter it is and whoever calls (requests, the outbox, sweeps), so a write
// failure is noted wherever it happens. It is cleared by a write that succeeds: readiness, while
// failing, probes with a tiny harmless write (Store.probeWrite), so it recovers without traffic.
import type { Store } from '../approvals/ports';
import { isWriteFailure, writeFailureCode } from './write-failure';

export interface WriteFailure {
  /** When writes started failing (epoch ms). */
  since: number;
  code: string;
}

export class WriteHealth {
  private current: WriteFailure | null = null;

  constructor(private readonly clock: () => number = Date.now) {}

  get failure(): WriteFailure | null {
    return this.current;
  }

  noteError(error: unknown): void {
    if (isWriteFailure(error)) this.current ??= { since: this.clock(), code: writeFailureCode(error) };
  }

  noteSuccess(): void {
    this.current = null;
  }

  /** Writes once (the store's probe); answers whether writes succeed, and records either outcome. */
  async probe(store: Pick<Store, 'probeWrite'>): Promise<boolean> {
    try {
      await store.probeWrite();
      this.noteSuccess();
      return true;
    } catch (error) {
      this.noteError(error);
      return false;
    }
  }
}

/** The store, with every rejected call's write failure noted in `health`: its own methods and its ports'. */
export function watchWrites(store: Store, health: WriteHealth): Store {
  const ports = { meta: store.meta, workspaces: store.workspaces, keys: store.keys, approvals: store.approvals, outbox: store.outbox, platformEvents: store.platformEvents, policies: store.policies, postedMessages: store.postedMessages, sessionHandoffs: store.sessionHandoffs };
  const watchedPorts = Object.fromEntries(Object.entries(ports).filter(([, port]) => port !== undefined).map(([name, port]) => [name, watched(port, health)]));
  return watched(store, health, watchedPorts);
}

/** `target` with every method's rejection noted in `health`; `replaced` properties are answered instead of the target's. */
function watched<T extends object>(target: T, health: WriteHealth, replaced: Record<string, unknown> = {}): T {
  type Method = (...args: unknown[]) => unknown;
  // Keyed by the function, not its name, so a method replaced on the target is watched as it now is.
  const wrapped = new WeakMap<Method, Method>();
  const watch = (method: Method): Method => (...args) => {
    const result = method.apply(target, args);
    if (!(result instanceof Promise)) return result;
    return result.catch((error: unknown) => {
      health.noteError(error);
      throw error;
    });
  };
  return new Proxy(target, {
    get(object, name) {
      if (typeof name === 'string' && Object.hasOwn(replaced, name)) return replaced[name];
      const value = Reflect.get(object, name, object) as unknown;
      if (typeof value !== 'function') return value;
      const method = value as Method;
      if (!wrapped.has(method)) wrapped.set(method, watch(method));
      return wrapped.get(method);
    },
  });
}
