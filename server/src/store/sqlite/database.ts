// The SQLite connection every port of the embedded store shares: prepared statements, migrations, and
// group commit. Writes that must be atomic across processes sharing the file run in IMMEDIATE
// transactions, which take the write lock up front.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../approvals/errors';
import { deliveryHost } from '../../delivery/delivery-host';
import type { Row } from './rows';
import { MIGRATIONS } from './schema';
import { WalCheckpointer } from './wal-checkpointer';

export interface SqliteOptions {
  synchronous: 'full' | 'normal';
}

interface QueuedWrite {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Longest a lazy write waits for a commit to join. */
const LAZY_COMMIT_MS = 10;

export class SqliteDatabase {
  private db: Database.Database | null = null;
  private readonly statements = new Map<string, Database.Statement>();
  private queued: QueuedWrite[] = [];
  /** Runs one queued write; inside the batch's transaction better-sqlite3 makes it a SAVEPOINT. */
  private savepoint: ((work: () => unknown) => unknown) | null = null;
  private flushScheduled = false;
  private lazyTimer: NodeJS.Timeout | null = null;
  private checkpointer: WalCheckpointer | null = null;

  constructor(
    readonly file: string,
    private readonly options: SqliteOptions,
  ) {}

  open(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const db = new Database(this.file);
    db.pragma('journal_mode = WAL');
    // FULL: an acknowledged request survives power loss, not just a process crash.
    const synchronous = this.options.synchronous === 'full' ? 'FULL' : 'NORMAL';
    db.pragma(`synchronous = ${synchronous}`);
    // better-sqlite3 waits for a foreign write lock synchronously, stalling the event loop, so the
    // wait is kept short; past it the caller gets a 503 and retries. Our own writes hold the lock
    // for milliseconds (group commit).
    db.pragma('busy_timeout = 2000');
    db.pragma('foreign_keys = ON');
    this.db = db;
    this.savepoint = db.transaction((work: () => unknown) => work());
    db.function('delivery_host', { deterministic: true }, (target: unknown) => deliveryHost(String(target)));
    this.migrate();
    this.checkpointer = new WalCheckpointer(db, this.file, synchronous);
    this.checkpointer.start();
  }

  close(): void {
    if (this.queued.length > 0) this.flush();
    this.checkpointer?.stop();
    this.checkpointer = null;
    this.statements.clear();
    this.db?.close();
    this.db = null;
    this.savepoint = null;
  }

  private migrate(): void {
    const db = this.connection();
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let i = version; i < MIGRATIONS.length; i++) {
      db.transaction(() => {
        db.exec(MIGRATIONS[i]!);
        db.pragma(`user_version = ${i + 1}`);
      }).immediate();
    }
  }

  private connection(): Database.Database {
    if (!this.db) throw new AppError('unavailable', 'store_closed', 'The store is not open.');
    return this.db;
  }

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.connection().prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  one(sql: string, ...params: unknown[]): Row | undefined {
    return this.stmt(sql).get(...params) as Row | undefined;
  }

  all(sql: string, ...params: unknown[]): Row[] {
    return this.stmt(sql).all(...params) as Row[];
  }

  run(sql: string, ...params: unknown[]): number {
    return this.stmt(sql).run(...params).changes;
  }

  /**
   * Group commit: write transactions queued during one event-loop turn share a single IMMEDIATE
   * transaction (one WAL sync instead of one each), each in its own savepoint so one failure does not
   * undo the others. Every caller is answered only after the commit, so durability is unchanged.
   */
  immediate<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    });
  }

  /**
   * A write nobody waits on to answer a request (an outbox attempt's outcome): it joins the next
   * commit, or is committed on its own within LAZY_COMMIT_MS, so it costs no WAL sync of its own
   * while requests are committing. Its caller is still answered only after it is committed.
   */
  lazy<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.flushScheduled || this.lazyTimer) return;
      this.lazyTimer = setTimeout(() => this.flush(), LAZY_COMMIT_MS);
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.lazyTimer) clearTimeout(this.lazyTimer);
    this.lazyTimer = null;
    const batch = this.queued;
    this.queued = [];
    const outcomes: Array<{ ok: boolean; value: unknown }> = [];
    try {
      const db = this.connection();
      const savepoint = this.savepoint!;
      db.transaction(() => {
        for (const { work } of batch) {
          try {
            outcomes.push({ ok: true, value: savepoint(work) });
          } catch (error) {
            // SQLITE_FULL, SQLITE_IOERR… can roll back the whole transaction, earlier savepoints
            // included. Then the batch is abandoned: a later write would run, and commit, on its own.
            if (!db.inTransaction) throw error;
            outcomes.push({ ok: false, value: error });
          }
        }
      }).immediate();
    } catch (error) {
      // BEGIN or COMMIT failed, the transaction was rolled back (or the store is closed): nothing in
      // the batch was written, so no caller is answered as if it had been.
      for (const queued of batch) queued.reject(error);
      return;
    }
    batch.forEach((queued, i) => (outcomes[i]!.ok ? queued.resolve(outcomes[i]!.value) : queued.reject(outcomes[i]!.value)));
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}
