import {
  MongoClientClosedError,
  MongoInvalidArgumentError,
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  MongoWriteConcernError,
} from 'mongodb';
import { KeyStoreRefusedError, KeyStoreUnavailableError } from '../errors';
import { isDuplicateKey, translateMongoError } from './mongo-key-errors';

const NS = 'wih_keys.data_keys';
/** What the server sends: its text may quote a stored document, which must not reach the message. */
const serverError = (code: number, codeName: string, errorLabels: string[] = []) =>
  new MongoServerError({ message: `${codeName}: document { householdId: "hh-secret" }`, code, codeName, errorLabels });

describe('translateMongoError (the driver’s own error classes)', () => {
  it.each([
    ['NotWritablePrimary', 10107],
    ['PrimarySteppedDown', 189],
    ['ShutdownInProgress', 91],
    ['InterruptedDueToReplStateChange', 11602],
    ['NotPrimaryOrSecondary', 13436],
    ['HostUnreachable', 6],
    ['NetworkTimeout', 89],
    ['MaxTimeMSExpired', 50],
    ['ExceededTimeLimit', 262],
  ])('maps the server code %s (%i) to unavailable', (codeName, code) => {
    const translated = translateMongoError(serverError(code, codeName), NS);
    expect(translated).toBeInstanceOf(KeyStoreUnavailableError);
    expect((translated as Error).message).toBe(`the key store did not answer (${codeName}, code ${code})`);
    expect((translated as Error).cause).toBeInstanceOf(MongoServerError);
  });

  it('maps a write-concern timeout and any error labelled retryable to unavailable', () => {
    const wtimeout = new MongoWriteConcernError({
      writeConcernError: { code: 64, codeName: 'WriteConcernTimeout', errmsg: 'waiting for replication timed out' },
      ok: 1,
    } as never);
    expect(translateMongoError(wtimeout, NS)).toBeInstanceOf(KeyStoreUnavailableError);
    expect(translateMongoError(serverError(999999, 'SomethingNew', ['RetryableWriteError']), NS)).toBeInstanceOf(KeyStoreUnavailableError);
  });

  it.each([
    ['no server to select', new MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:27017', { type: 'Unknown' } as never)],
    ['a lost connection', new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed')],
    ['a socket timeout', new MongoNetworkTimeoutError('connection timed out')],
    ['a closed topology', new MongoTopologyClosedError()],
    ['a client not connected', new MongoNotConnectedError('not connected')],
    ['a closed client', new MongoClientClosedError()],
    ['an operation timeout', new MongoOperationTimeoutError('timed out')],
  ])('maps %s to unavailable', (_label, error) => {
    expect(translateMongoError(error, NS)).toBeInstanceOf(KeyStoreUnavailableError);
  });

  it.each([
    ['authentication', 18, 'AuthenticationFailed', /refused the key store's credentials.*authSource.*MONGO_KEYS_URL/],
    ['authorisation', 13, 'Unauthorized', /user lacks a privilege on wih_keys\.data_keys.*wihKeys/],
    ['index-conflict', 85, 'IndexOptionsConflict', /another index on wih_keys\.data_keys conflicts with .*householdId_unique/],
    ['index-conflict', 86, 'IndexKeySpecsConflict', /named householdId_unique but differs/],
    ['unsupported', 59, 'CommandNotFound', /does not know a command/],
    ['refused', 14, 'TypeMismatch', /refused the operation on wih_keys\.data_keys/],
  ])('refuses (%s) for the server code %i %s, naming the cause and not repeating the server’s text', (reason, code, codeName, message) => {
    // FerretDB labels a failed handshake ResetPool; the code decides, not the label.
    const translated = translateMongoError(serverError(code, codeName, ['HandshakeError', 'ResetPool']), NS);
    expect(translated).toBeInstanceOf(KeyStoreRefusedError);
    expect(translated).not.toBeInstanceOf(KeyStoreUnavailableError);
    expect(translated).toMatchObject({ reason, name: 'KeyStoreRefusedError' });
    expect((translated as Error).message).toMatch(message);
    expect((translated as Error).message).toContain(`(${codeName}, code ${code})`);
    expect((translated as Error).message).not.toContain('hh-secret');
  });

  it('keeps duplicate-key errors (a lost create race), driver misuse and bugs as they are', () => {
    const duplicate = new MongoServerError({ message: 'E11000 duplicate key', code: 11000 });
    expect(isDuplicateKey(duplicate)).toBe(true);
    expect(translateMongoError(duplicate, NS)).toBe(duplicate);
    const misuse = new MongoInvalidArgumentError('bad option');
    expect(translateMongoError(misuse, NS)).toBe(misuse);
    const bug = new TypeError('x is undefined');
    expect(translateMongoError(bug, NS)).toBe(bug);
  });
});
