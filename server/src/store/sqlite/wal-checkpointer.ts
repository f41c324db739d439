// WAL checkpoints off the event loop. better-sqlite3 is synchronous, and SQLite's automatic checkpoint
// runs inside whichever commit crosses its threshold: with synchronous=FULL that commit also copies the
// WAL into the database and fsyncs it, stalling every request for 100–200 ms every few seconds under
// load (bench: Intercom acknowledgement p99 103 ms with it, 63 ms without). So the server's connection
// turns it off and a worker thread with its own connection checkpoints instead: PASSIVE, so it never
// waits for, or blocks, the server's writer. Should the worker fail, automatic checkpoints come back.
//
// Written by hand: no maintained library runs SQLite checkpoints in a worker; it is a dozen lines.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** How often the worker checkpoints; a PASSIVE checkpoint with nothing to copy costs microseconds. */
const CHECKPOINT_EVERY_MS = 500;
/** SQLite's own default threshold (pages), restored if the worker is lost. */
const AUTOMATIC_PAGES = 1000;

// The worker is plain CommonJS evaluated from a string, so it runs the same under tsx, vitest and a
// compiled build; it gets the driver's resolved path rather than resolving it from its own location.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = ' + workerData.synchronous);
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { if (error && error.code !== 'SQLITE_BUSY' && error.code !== 'SQLITE_LOCKED') throw error; }
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export class WalCheckpointer {
  private worker: Worker | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    private readonly synchronous: 'FULL' | 'NORMAL',
  ) {}

  start(): void {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file: this.file, synchronous: this.synchronous, everyMs: CHECKPOINT_EVERY_MS } });
    // Never what keeps the process alive; the server's own connection does the last checkpoint on close.
    worker.unref();
    worker.on('error', () => this.fallBack(worker));
    worker.on('exit', () => this.fallBack(worker));
    this.db.pragma('wal_autocheckpoint = 0');
    this.worker = worker;
  }

  /** Asks the worker to close its connection and end; does not wait. */
  stop(): void {
    const worker = this.worker;
    this.worker = null;
    worker?.postMessage('stop');
  }

  private fallBack(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = null;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOMATIC_PAGES}`);
  }
}
