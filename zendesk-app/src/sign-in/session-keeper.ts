// The agent's reviewer session: kept in memory, and in the iframe's localStorage with its expiry so a
// new ticket tab does not ask again within the hour. An expired session is never handed out. Storage
// may be missing or refuse writes (private modes, sandboxed frames): the session then lives in memory.
import { ReviewerSession, type SignedInReviewer } from '@countersign/shared';
import type { ReviewerSessionSource } from '../live/reviewer-session';

export interface KeptSession {
  /** What X-Countersign-Reviewer carries. */
  value: string;
  /** Epoch ms, as the server set it. */
  expiresAt: number;
  reviewer: SignedInReviewer;
}

const STORAGE_KEY = 'countersign.reviewerSession';

type Listener = (session: KeptSession | null) => void;

/** Also the live stream's session source: the sidebar and the top-bar queue read the same session. */
export class SessionKeeper implements ReviewerSessionSource {
  private session: KeptSession | null;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null,
    private readonly clock: () => number = Date.now,
  ) {
    this.session = this.read();
  }

  /** The session while it is unexpired; null otherwise (an expired one is forgotten). */
  current(): KeptSession | null {
    if (this.session && this.session.expiresAt <= this.clock()) this.clear();
    return this.session;
  }

  /** The header value to send now, or null. */
  sessionValue(): string | null {
    return this.current()?.value ?? null;
  }

  keep(session: ReviewerSession): KeptSession {
    this.session = { value: session.value, expiresAt: Date.parse(session.expiresAt), reviewer: session.reviewer };
    this.write(JSON.stringify({ ...session }));
    this.notify();
    return this.session;
  }

  clear(): void {
    const had = this.session !== null;
    this.session = null;
    this.write(null);
    if (had) this.notify();
  }

  getReviewerSession(): string | null {
    return this.sessionValue();
  }

  onReviewerSessionChange(listener: () => void): () => void {
    // Another frame of the app (the sidebar of another ticket, the queue) may sign in or out.
    const fromOtherFrame = (event: StorageEvent) => {
      if (event.key !== STORAGE_KEY) return;
      this.session = this.read();
      listener();
    };
    const unsubscribe = this.subscribe(() => listener());
    globalThis.addEventListener?.('storage', fromOtherFrame);
    return () => {
      unsubscribe();
      globalThis.removeEventListener?.('storage', fromOtherFrame);
    };
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener(this.session);
  }

  private read(): KeptSession | null {
    try {
      const parsed = ReviewerSession.safeParse(JSON.parse(this.storage?.getItem(STORAGE_KEY) ?? 'null'));
      if (!parsed.success || Date.parse(parsed.data.expiresAt) <= this.clock()) return null;
      return { value: parsed.data.value, expiresAt: Date.parse(parsed.data.expiresAt), reviewer: parsed.data.reviewer };
    } catch {
      return null;
    }
  }

  private write(value: string | null): void {
    try {
      if (value === null) this.storage?.removeItem(STORAGE_KEY);
      else this.storage?.setItem(STORAGE_KEY, value);
    } catch {
      // Not kept across tabs; this tab still has it.
    }
  }
}

/** The frame's localStorage, or null where touching it throws. */
export function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
