// The yardstick for intake throughput: the least an Express 5 + better-sqlite3 service can do for
// the same request. Parse the JSON body, insert it with a prepared statement, answer 201 with an
// id. Same SQLite pragmas as Countersign (WAL, synchronous FULL unless
// COUNTERSIGN_SQLITE_SYNCHRONOUS=normal) so the durability cost per request is the same.
// Run as a child process by the bench: PORT, HOST, BASELINE_DATA_DIR.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import express from 'express';

const port = Number(process.env.PORT ?? 0);
const host = process.env.HOST ?? '127.0.0.1';
const dataDir = path.resolve(process.env.BASELINE_DATA_DIR ?? './baseline-data');
const synchronous = process.env.COUNTERSIGN_SQLITE_SYNCHRONOUS === 'normal' ? 'NORMAL' : 'FULL';

fs.mkdirSync(dataDir, { recursive: true });
const db = new Database(path.join(dataDir, 'baseline.db'));
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${synchronous}`);
db.pragma('busy_timeout = 5000');
db.pragma('foreign_keys = ON');
db.exec('CREATE TABLE IF NOT EXISTS requests (id TEXT PRIMARY KEY, body TEXT NOT NULL, created_at INTEGER NOT NULL)');
const insert = db.prepare('INSERT INTO requests (id, body, created_at) VALUES (?, ?, ?)');

const app = express();
app.disable('x-powered-by');
app.get('/readyz', (_req, res) => {
  res.json({ status: 'ready' });
});
app.post('/api/webhooks/inbound', express.json(), (req, res) => {
  const id = randomUUID();
  insert.run(id, JSON.stringify(req.body), Date.now());
  res.status(201).json({ id });
});

const server = http.createServer(app);
server.listen(port, host, () => {
  process.stdout.write(`baseline listening on http://${host}:${port} (synchronous=${synchronous})\n`);
});

process.once('SIGTERM', () => {
  server.close(() => {
    db.close();
    process.exit(0);
  });
  server.closeIdleConnections();
});
