// Schema migrations for the embedded store, applied in order and tracked in PRAGMA user_version.
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );

  CREATE TABLE workspaces (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    settings   TEXT NOT NULL,
    secrets    TEXT NOT NULL
  );

  CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    scope        TEXT NOT NULL CHECK (scope IN ('intake', 'review')),
    prefix       TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    label        TEXT,
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER
  );
  CREATE INDEX api_keys_workspace ON api_keys (workspace_id, created_at);

  CREATE TABLE approvals (
    id                TEXT PRIMARY KEY,
    workspace_id      TEXT NOT NULL REFERENCES workspaces(id),
    status            TEXT NOT NULL,
    action            TEXT NOT NULL,
    summary           TEXT NOT NULL,
    details           TEXT NOT NULL,
    risk_level        TEXT NOT NULL,
    priority          TEXT NOT NULL,
    justification     TEXT,
    agent_name        TEXT,
    metadata          TEXT,
    context_platform  TEXT,
    context_id        TEXT,
    callback_url      TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    expires_at        INTEGER NOT NULL,
    decided_at        INTEGER,
    decided_by        TEXT,
    decision_note     TEXT,
    modified_details  TEXT,
    idempotency_key   TEXT,
    request_hash      TEXT,
    created_by_key    TEXT
  );
  CREATE UNIQUE INDEX approvals_idempotency ON approvals (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
  CREATE INDEX approvals_newest ON approvals (workspace_id, created_at DESC, id DESC);
  CREATE INDEX approvals_context ON approvals (workspace_id, context_platform, context_id, created_at DESC, id DESC);
  CREATE INDEX approvals_overdue ON approvals (expires_at) WHERE status = 'pending';
  CREATE INDEX approvals_settled ON approvals (updated_at) WHERE status <> 'pending';

  -- seq orders an approval's events; rows are never deleted, so a plain rowid key stays monotonic.
  CREATE TABLE events (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    approval_id  TEXT NOT NULL,
    type         TEXT NOT NULL,
    at           INTEGER NOT NULL,
    data         TEXT NOT NULL
  );
  CREATE INDEX events_approval ON events (approval_id, seq);

  CREATE TABLE deliveries (
    id              TEXT PRIMARY KEY,
    workspace_id    TEXT NOT NULL,
    approval_id     TEXT NOT NULL,
    kind            TEXT NOT NULL,
    target          TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    lease_owner     TEXT,
    lease_until     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
  );
  CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
  CREATE INDEX deliveries_approval ON deliveries (approval_id, created_at);

  CREATE TABLE processed_events (
    source     TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    claimed_at INTEGER NOT NULL,
    PRIMARY KEY (source, event_id)
  );
  CREATE INDEX processed_events_age ON processed_events (claimed_at);
  `,
  // 2: platform events keep their payload until processed, so an event acknowledged just before a crash
  // is resumed after the restart. Bare claims (no payload) count as processed when made.
  `
  ALTER TABLE processed_events ADD COLUMN topic TEXT;
  ALTER TABLE processed_events ADD COLUMN payload TEXT;
  ALTER TABLE processed_events ADD COLUMN processed_at INTEGER;
  ALTER TABLE processed_events ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
  UPDATE processed_events SET processed_at = claimed_at;
  CREATE INDEX processed_events_unprocessed ON processed_events (source, claimed_at) WHERE processed_at IS NULL;
  `,
  // 3: each delivery's destination host, so claims can cap, skip and take turns by workspace and host
  // (see SqliteStore.claimDeliveries). delivery_host() is deliveryHost() (store/delivery-host.ts),
  // registered on the connection before migrating. The index holds only pending rows: one queue per
  // workspace and host, in due order.
  `
  ALTER TABLE deliveries ADD COLUMN target_host TEXT NOT NULL DEFAULT '';
  UPDATE deliveries SET target_host = delivery_host(target);
  CREATE INDEX deliveries_queues ON deliveries (workspace_id, target_host, next_attempt_at) WHERE status = 'pending';
  `,
  // 4: fields of an approval that no query filters or sorts on, beyond the columns above, kept as one
  // JSON object: a new field of the record needs no migration and no change here (rows.ts).
  `
  ALTER TABLE approvals ADD COLUMN extra TEXT;
  `,
  // 5: who may decide. Approvals carry a version (every change is a compare-and-set on it: quorum
  // approvals arrive while a request stays pending). Keys may be admin keys, and a review key says whom
  // it decides as (personal, delegating; none is the Zendesk app's key); the first-start review key is
  // the personal key of reviewer "admin". Policies are kept version by version.
  `
  ALTER TABLE approvals ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

  CREATE TABLE api_keys_v5 (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    scope        TEXT NOT NULL CHECK (scope IN ('intake', 'review', 'admin')),
    prefix       TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    label        TEXT,
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER,
    reviewer     TEXT
  );
  INSERT INTO api_keys_v5 (id, workspace_id, scope, prefix, hash, label, created_at, revoked_at, reviewer)
    SELECT id, workspace_id, scope, prefix, hash, label, created_at, revoked_at,
           CASE WHEN scope = 'review' AND label = 'bootstrap' THEN '{"kind":"personal","id":"admin","name":"Admin"}' END
      FROM api_keys;
  DROP TABLE api_keys;
  ALTER TABLE api_keys_v5 RENAME TO api_keys;
  CREATE INDEX api_keys_workspace ON api_keys (workspace_id, created_at);

  CREATE TABLE policies (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    version      INTEGER NOT NULL,
    document     TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    set_by       TEXT NOT NULL,
    PRIMARY KEY (workspace_id, version)
  );
  `,
  // 6: the live stream replays one workspace's changes from a sequence number (store/sqlite/changes.ts).
  `
  CREATE INDEX events_workspace_seq ON events (workspace_id, seq);
  `,
  // 7: reach. follow_up_at copies the record's followUpAt (kept in extra like the other follow-up fields)
  // so the sweep finds due reminders and escalations through a small index of waiting requests; and the
  // messages posted about approvals (Slack), which later deliveries edit or reply under.
  `
  ALTER TABLE approvals ADD COLUMN follow_up_at INTEGER;
  CREATE INDEX approvals_follow_up ON approvals (follow_up_at) WHERE status = 'pending' AND follow_up_at IS NOT NULL;

  CREATE TABLE posted_messages (
    workspace_id TEXT NOT NULL,
    approval_id  TEXT NOT NULL,
    role         TEXT NOT NULL,
    platform     TEXT NOT NULL,
    channel      TEXT NOT NULL,
    message_id   TEXT NOT NULL,
    posted_at    INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, approval_id, role)
  );
  `,
  // 8: reviewer sessions on their way from the Zendesk OAuth callback to the sidebar that asked for
  // them, kept sealed for a minute or two under the hash of the sidebar's one-time claim secret.
  `
  CREATE TABLE session_handoffs (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL,
    sealed_session TEXT NOT NULL,
    expires_at     INTEGER NOT NULL
  );
  CREATE INDEX session_handoffs_expiry ON session_handoffs (expires_at);
  `,
];
