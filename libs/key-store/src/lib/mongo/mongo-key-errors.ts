import {
  MongoClientClosedError,
  MongoError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerClosedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoStalePrimaryError,
  MongoTopologyClosedError,
} from 'mongodb';
import { KeyStoreRefusedError, KeyStoreUnavailableError, type KeyStoreRefusal } from '../errors';

export const isDuplicateKey = (error: unknown): boolean => error instanceof MongoServerError && error.code === 11000;

/**
 * Server codes that mean "no primary / no answer right now": the retryable-read codes of the
 * driver specification plus time limits and write-concern timeouts. A retry later can succeed.
 */
const UNAVAILABLE_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  50, // MaxTimeMSExpired
  64, // WriteConcernTimeout (WriteConcernFailed before 8.1)
  89, // NetworkTimeout
  91, // ShutdownInProgress
  112, // WriteConflict
  133, // FailedToSatisfyReadPreference
  134, // ReadConcernMajorityNotAvailableYet
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10058, // LegacyNotPrimary
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/** Labels the server or driver put on errors worth retrying, whatever their code. */
const TRANSIENT_LABELS = ['RetryableWriteError', 'TransientTransactionError'];

/** Server codes a retry does not fix, with what the operator has to do. */
const REFUSALS: Record<number, { reason: KeyStoreRefusal; what: (namespace: string) => string }> = {
  13: {
    reason: 'authorisation',
    what: (ns) =>
      `the key store's database user lacks a privilege on ${ns}: give it the role wihKeys (find, insert, update, createIndex on the collection; docs/operations.md)`,
  },
  18: {
    reason: 'authentication',
    what: () =>
      "MongoDB refused the key store's credentials: check the user, password and authSource of its connection string (MONGO_KEYS_URL)",
  },
  85: {
    reason: 'index-conflict',
    what: (ns) =>
      `another index on ${ns} conflicts with the key store's unique index householdId_unique on householdId: drop that index, the key store creates its own`,
  },
  86: {
    reason: 'index-conflict',
    what: (ns) =>
      `another index on ${ns} is named householdId_unique but differs from the key store's unique index on householdId: drop that index, the key store creates its own`,
  },
  59: { reason: 'unsupported', what: () => "the key store's server does not know a command the key store needs" },
  115: { reason: 'unsupported', what: () => "the key store's server does not support a command the key store needs" },
  121: { reason: 'refused', what: (ns) => `a validator on ${ns} refuses the key store's records: remove it` },
};

const WAIT_QUEUE_TIMEOUT = 'MongoWaitQueueTimeoutError'; // not exported by the driver

const unreachable = (error: unknown): boolean =>
  error instanceof MongoNetworkError ||
  error instanceof MongoServerSelectionError ||
  error instanceof MongoTopologyClosedError ||
  error instanceof MongoNotConnectedError ||
  error instanceof MongoServerClosedError ||
  error instanceof MongoClientClosedError ||
  error instanceof MongoOperationTimeoutError ||
  error instanceof MongoStalePrimaryError ||
  (error as Error).name === WAIT_QUEUE_TIMEOUT;

/**
 * Server and network failures become the port's errors, decided by the server's code (the
 * error class alone says only "the server answered"): no primary, no connection, time limits →
 * KeyStoreUnavailableError (503, retry); credentials, privileges, index conflicts and other
 * refusals → KeyStoreRefusedError naming the cause. A duplicate key (a lost create race) and
 * anything else (a bug, a bad argument) stay what they are.
 */
export const translateMongoError = (error: unknown, namespace: string): unknown => {
  if (!(error instanceof MongoError) || isDuplicateKey(error)) return error;
  if (error instanceof MongoServerError) {
    const code = typeof error.code === 'number' ? error.code : Number(error.code);
    const label = `${error.codeName ?? 'no code name'}, code ${Number.isNaN(code) ? 'none' : code}`;
    const refusal = REFUSALS[code];
    if (refusal) return new KeyStoreRefusedError(refusal.reason, `${refusal.what(namespace)} (${label})`, { cause: error });
    if (UNAVAILABLE_CODES.has(code) || TRANSIENT_LABELS.some((l) => error.hasErrorLabel(l))) {
      return new KeyStoreUnavailableError(`the key store did not answer (${label})`, { cause: error });
    }
    return new KeyStoreRefusedError('refused', `the key store's server refused the operation on ${namespace} (${label})`, { cause: error });
  }
  if (unreachable(error)) return new KeyStoreUnavailableError(`the key store did not answer (${error.name})`, { cause: error });
  return error;
};
