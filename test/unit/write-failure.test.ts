// Which errors mean "the store could not write", and how readiness learns of them and recovers.
import { mongo } from 'mongoose';
import { describe, expect, it } from 'vitest';
import type { Store } from '@countersign/server/approvals/ports';
import { isWriteFailure, writeFailureCode } from '@countersign/server/store';
import { watchWrites, WriteHealth } from '@countersign/server/store';

const withCode = (code: string) => Object.assign(new Error('boom'), { code });

describe('write failures', () => {
  it('recognises SQLite full, I/O (every extended code) and read-only errors, and file-system errno codes', () => {
    for (const code of ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_FSYNC', 'SQLITE_IOERR_SHMSIZE', 'SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'ENOSPC', 'EFBIG', 'EIO', 'EDQUOT', 'EROFS']) {
      expect(isWriteFailure(withCode(code)), code).toBe(true);
    }
  });

  it('does not take busy locks, constraint violations, bugs or non-errors for write failures', () => {
    for (const error of [withCode('SQLITE_BUSY'), withCode('SQLITE_CONSTRAINT_UNIQUE'), withCode('SQLITE_ERROR'), withCode('ENOENT'), new TypeError('x'), null, undefined, 'SQLITE_FULL']) {
      expect(isWriteFailure(error), String(error)).toBe(false);
    }
  });

  it('recognises the MongoDB driver\'s out-of-disk-space and write-concern errors, not a duplicate key', () => {
    expect(isWriteFailure(new mongo.MongoServerError({ code: 14031, codeName: 'OutOfDiskSpace', errmsg: 'disk full' }))).toBe(true);
    expect(isWriteFailure(new mongo.MongoServerError({ code: 64, codeName: 'WriteConcernFailed', errmsg: 'waiting for replication timed out' }))).toBe(true);
    expect(isWriteFailure(new mongo.MongoWriteConcernError({ writeConcernError: { code: 64, errmsg: 'timeout' } } as never))).toBe(true);
    expect(isWriteFailure(new mongo.MongoServerError({ code: 11000, codeName: 'DuplicateKey', errmsg: 'dup' }))).toBe(false);
    expect(writeFailureCode(new mongo.MongoServerError({ code: 14031, codeName: 'OutOfDiskSpace', errmsg: 'disk full' }))).toBe('OutOfDiskSpace');
    expect(writeFailureCode(withCode('SQLITE_IOERR_WRITE'))).toBe('SQLITE_IOERR_WRITE');
  });

  it('notes a failing write seen through the watched store, keeps its first moment, and clears on a successful probe', async () => {
    let failing = true;
    const fake = {
      kind: 'sqlite',
      meta: {}, workspaces: {}, keys: {}, outbox: {}, platformEvents: {}, sessionHandoffs: {},
      approvals: {
        create: async () => { throw withCode('SQLITE_FULL'); },
        get: async () => { throw withCode('SQLITE_BUSY'); },
      },
      probeWrite: async () => { if (failing) throw withCode('SQLITE_IOERR_WRITE'); },
    } as unknown as Store;
    let now = 1000;
    const health = new WriteHealth(() => now);
    const store = watchWrites(fake, health);
    await expect(store.approvals.get('w', 'a')).rejects.toThrow();
    expect(health.failure).toBeNull();
    await expect(store.approvals.create({} as never, {} as never)).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    expect(health.failure).toEqual({ since: 1000, code: 'SQLITE_FULL' });
    now = 2000;
    expect(await health.probe(store)).toBe(false);
    expect(health.failure).toEqual({ since: 1000, code: 'SQLITE_FULL' });
    failing = false;
    expect(await health.probe(store)).toBe(true);
    expect(health.failure).toBeNull();
    expect(store.kind).toBe('sqlite');
  });
});
