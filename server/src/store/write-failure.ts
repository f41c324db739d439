// Errors that mean the store could not write (disk full, a file-size limit, an I/O error, a
// read-only file system), told apart from bugs: nothing was committed, the caller should retry
// later, and readiness reports the instance not ready meanwhile (write-health.ts).

/** SQLITE_FULL, SQLITE_IOERR with every extended code (SQLITE_IOERR_WRITE, _FSYNC, …), SQLITE_READONLY_*. */
const SQLITE_WRITE_FAILURE = /^SQLITE_(FULL|IOERR|READONLY)(_[A-Z_]+)?$/;
/** The same faults met by the file system directly (node:fs, or a driver that passes errno through). */
const ERRNO_WRITE_FAILURE = new Set(['ENOSPC', 'EFBIG', 'EIO', 'EDQUOT', 'EROFS']);
/**
 * MongoDB: the server refused the write for lack of disk space (OutOfDiskSpace, 14031), or could not
 * have it acknowledged by the write concern (WriteConcernFailed, 64: the client must retry).
 */
const MONGO_WRITE_FAILURE_CODES = new Set([14031, 64]);
const MONGO_WRITE_FAILURE_NAMES = new Set(['OutOfDiskSpace', 'WriteConcernFailed', 'MongoWriteConcernError']);

interface ErrorFields {
  code?: unknown;
  codeName?: unknown;
  name?: unknown;
  writeConcernError?: { code?: unknown };
}

export function isWriteFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, codeName, name, writeConcernError } = error as ErrorFields;
  if (typeof code === 'string') return SQLITE_WRITE_FAILURE.test(code) || ERRNO_WRITE_FAILURE.has(code);
  return (
    MONGO_WRITE_FAILURE_CODES.has(Number(code)) ||
    MONGO_WRITE_FAILURE_NAMES.has(String(codeName)) ||
    MONGO_WRITE_FAILURE_NAMES.has(String(name)) ||
    MONGO_WRITE_FAILURE_CODES.has(Number(writeConcernError?.code))
  );
}

/** The code to report (logs, readiness), never the message, which may name paths. */
export function writeFailureCode(error: unknown): string {
  const { code, codeName, name } = (error ?? {}) as ErrorFields;
  return String(typeof code === 'string' ? code : codeName ?? name ?? code ?? 'unknown');
}
