// The embedded store: one SQLite file in WAL mode, its ports sharing one connection (database.ts).
import type { Backlog, MetaStore, Store } from '../../approvals/ports';
import { SqliteApprovals } from './approvals';
import { SqliteDatabase, type SqliteOptions } from './database';
import { SqliteOutbox } from './outbox';
import { SqlitePlatformEvents } from './platform-events';
import { SqliteChanges } from './changes';
import { SqlitePolicies } from './policies';
import { SqlitePostedMessages } from './posted-messages';
import { SqliteSessionHandoffs } from './session-handoffs';
import { SqliteKeys, SqliteWorkspaces } from './tenancy';

export type { SqliteOptions } from './database';

class SqliteMeta implements MetaStore {
  constructor(private readonly db: SqliteDatabase) {}

  async get(key: string): Promise<string | null> {
    return (this.db.one('SELECT value FROM meta WHERE key = ?', key)?.value as string | undefined) ?? null;
  }

  async putIfAbsent(key: string, value: string): Promise<string> {
    this.db.run('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)', key, value);
    return (await this.get(key))!;
  }
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly db: SqliteDatabase;
  readonly meta: MetaStore;
  readonly workspaces: SqliteWorkspaces;
  readonly keys: SqliteKeys;
  readonly approvals: SqliteApprovals;
  readonly outbox: SqliteOutbox;
  readonly platformEvents: SqlitePlatformEvents;
  readonly policies: SqlitePolicies;
  readonly changes: SqliteChanges;
  readonly postedMessages: SqlitePostedMessages;
  readonly sessionHandoffs: SqliteSessionHandoffs;

  constructor(
    readonly file: string,
    options: SqliteOptions = { synchronous: 'full' },
  ) {
    this.db = new SqliteDatabase(file, options);
    this.meta = new SqliteMeta(this.db);
    this.workspaces = new SqliteWorkspaces(this.db);
    this.keys = new SqliteKeys(this.db);
    this.approvals = new SqliteApprovals(this.db);
    this.outbox = new SqliteOutbox(this.db);
    this.platformEvents = new SqlitePlatformEvents(this.db);
    this.policies = new SqlitePolicies(this.db);
    this.changes = new SqliteChanges(this.db);
    this.postedMessages = new SqlitePostedMessages(this.db);
    this.sessionHandoffs = new SqliteSessionHandoffs(this.db);
  }

  async init(): Promise<void> {
    this.db.open();
  }

  async close(): Promise<void> {
    this.db.close();
  }

  async ping(): Promise<void> {
    this.db.one('SELECT 1 AS ok');
  }

  probeWrite(): Promise<void> {
    return this.db.immediate(() => {
      this.db.run("INSERT INTO meta (key, value) VALUES ('write_probe', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", String(Date.now()));
    });
  }

  async backlog(failedSince: number): Promise<Backlog> {
    const approvals = this.db.one("SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM approvals WHERE status = 'pending'");
    const queued = this.db.one("SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM deliveries WHERE status = 'pending'");
    const failed = this.db.one("SELECT COUNT(*) AS n FROM deliveries WHERE status = 'failed' AND updated_at >= ?", failedSince);
    const events = this.db.one('SELECT COUNT(*) AS n FROM processed_events WHERE processed_at IS NULL AND payload IS NOT NULL');
    return {
      pendingApprovals: Number(approvals?.n ?? 0),
      oldestPendingCreatedAt: (approvals?.oldest as number | null | undefined) ?? null,
      queuedDeliveries: Number(queued?.n ?? 0),
      oldestQueuedCreatedAt: (queued?.oldest as number | null | undefined) ?? null,
      failedDeliveries: Number(failed?.n ?? 0),
      unprocessedEvents: Number(events?.n ?? 0),
    };
  }
}
