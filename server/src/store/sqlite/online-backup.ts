// A consistent copy of the live SQLite file through SQLite's online backup API: safe while the
// server keeps writing (it copies a snapshot, WAL included), unlike copying the file by hand.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../approvals/errors';

export async function backupSqlite(source: string, destination: string): Promise<{ pages: number; bytes: number }> {
  if (fs.existsSync(destination)) throw new AppError('conflict', 'backup_exists', `${destination} already exists; choose a new file so no backup is overwritten.`);
  fs.mkdirSync(path.dirname(destination), { recursive: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    const progress = await db.backup(destination);
    return { pages: progress.totalPages, bytes: fs.statSync(destination).size };
  } finally {
    db.close();
  }
}
