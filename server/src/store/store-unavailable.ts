// Errors that mean the store cannot answer right now but will shortly, told apart from bugs: SQLite
// locked by another process; MongoDB unreachable, electing a new primary (a failover), stepping down,
// shutting down, out of time, or unsure whether a commit went through. The caller should retry soon
// (with the same Idempotency-Key: a commit of unknown outcome may have happened, and the key makes the
// retry answer it). Recognised by name, code and label, not by class, so this module loads no driver.

const SQLITE_BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_TIMEOUT']);

/**
 * The MongoDB driver's (and mongoose's) own errors for a server it cannot reach or select, a
 * connection pool cleared by a failover, a connection it waited too long for, a closed client.
 */
const MONGO_UNAVAILABLE_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'PoolClearedOnNetworkError',
  'MongoPoolClosedError',
  'MongoWaitQueueTimeoutError',
  'MongoOperationTimeoutError',
  'MongoServerClosedError',
  'MongoTopologyClosedError',
  'MongoClientClosedError',
  'MongoStalePrimaryError',
]);

/**
 * Labels the server or the driver put on errors worth retrying: a retryable write that failed over, a
 * transaction aborted by a conflict or an election, a commit whose outcome is unknown, an overloaded
 * server.
 */
const MONGO_RETRY_LABELS = ['RetryableWriteError', 'TransientTransactionError', 'UnknownTransactionCommitResult', 'PoolRequestedRetry', 'RetryableError', 'SystemOverloadedError'];

/**
 * Server error codes of a replica set changing hands or unreachable members (the driver's retryable
 * read/write codes), and of time limits: HostUnreachable 6, HostNotFound 7, MaxTimeMSExpired 50,
 * WriteConcernFailed 64 (a majority that did not acknowledge a write within wtimeoutMS), NetworkTimeout 89, ShutdownInProgress 91, FailedToSatisfyReadPreference 133,
 * ReadConcernMajorityNotAvailableYet 134, PrimarySteppedDown 189, ExceededTimeLimit 262,
 * SocketException 9001, LegacyNotPrimary 10058, NotWritablePrimary 10107, InterruptedAtShutdown 11600,
 * InterruptedDueToReplStateChange 11602, NotPrimaryNoSecondaryOk 13435, NotPrimaryOrSecondary 13436.
 */
const MONGO_UNAVAILABLE_CODES = new Set([6, 7, 50, 64, 89, 91, 133, 134, 189, 262, 9001, 10058, 10107, 11600, 11602, 13435, 13436]);

interface ErrorFields {
  code?: unknown;
  name?: unknown;
  errorLabels?: unknown;
  writeConcernError?: { code?: unknown };
}

export function isStoreUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, name, errorLabels, writeConcernError } = error as ErrorFields;
  const labels = Array.isArray(errorLabels) ? (errorLabels as unknown[]) : [];
  if (MONGO_UNAVAILABLE_NAMES.has(String(name)) || MONGO_RETRY_LABELS.some((label) => labels.includes(label))) return true;
  if (typeof code === 'string') return SQLITE_BUSY_CODES.has(code);
  return MONGO_UNAVAILABLE_CODES.has(Number(code)) || MONGO_UNAVAILABLE_CODES.has(Number(writeConcernError?.code));
}
