// Tenancy: a workspace is one customer; its API keys carry a scope. Secrets are sealed (secrets/).
export type KeyScope = 'intake' | 'review' | 'admin';

/**
 * Whom a review key decides as. `personal`: the person it was issued to. `delegating`: a trusted tool
 * that names its own user in each decision. A review key with neither is the Zendesk app's key, which
 * decides only with an agent session Zendesk vouched for.
 */
export type KeyReviewer =
  | { kind: 'personal'; id: string; name: string; email?: string }
  | { kind: 'delegating' };

export interface WorkspaceRecord {
  id: string;
  name: string;
  createdAt: number;
  settings: WorkspaceSettings;
  /** Secret name → sealed ciphertext (see secrets/secret-box.ts). Never plaintext. */
  secrets: Record<string, string>;
}

export interface WorkspaceSettings {
  defaultExpiresInSeconds: number;
  /** While a callback-secret rotation is in its grace period, the previous secret also signs until then. */
  previousCallbackSecretUntil?: number;
  [name: string]: unknown;
}

export interface ApiKeyRecord {
  id: string;
  workspaceId: string;
  scope: KeyScope;
  /** The first characters of the key, enough to recognise it in a list; never the whole key. */
  prefix: string;
  /** SHA-256 of the whole key, hex. */
  hash: string;
  label: string | null;
  createdAt: number;
  revokedAt: number | null;
  /** Review keys only; null for the Zendesk app's key (and for intake and admin keys). */
  reviewer: KeyReviewer | null;
}
