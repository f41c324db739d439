// Reviewer sessions on their way to the Zendesk sidebar that asked for them. Zendesk redirects the
// agent's browser to Countersign's OAuth callback (on any instance); the sidebar, which cannot see
// that window, collects the session through Zendesk's proxy with a one-time secret only it knows.
// The session waits here, sealed, for a minute or two, and is handed over once.

export interface SessionHandoffRecord {
  /** SHA-256 (hex) of the one-time claim secret; the secret itself is never stored. */
  id: string;
  workspaceId: string;
  /** The reviewer session and who it names, sealed (secrets/secret-box.ts). */
  sealedSession: string;
  expiresAt: number;
}

export interface SessionHandoffStore {
  /** Stores the handoff unless one with its id exists (then false, and the stored one stays). */
  put(handoff: SessionHandoffRecord): Promise<boolean>;
  /**
   * Removes and answers the workspace's handoff with this id when it has not expired at `now`;
   * null otherwise. Atomic: of two concurrent takes, at most one gets it.
   */
  take(workspaceId: string, id: string, now: number): Promise<SessionHandoffRecord | null>;
  /** Deletes handoffs that expired before `before`; answers how many. */
  prune(before: number): Promise<number>;
}
