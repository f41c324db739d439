// Tenancy: a workspace is one customer; its API keys carry a scope. Secrets are sealed (secrets/).
export type KeyScope = 'intake' | 'review';

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
}
