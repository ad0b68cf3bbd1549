import { MongoAccessLog, openSqliteAccessLog, type AccessLog, type AccessLogCopy, type SqliteAccessLogOptions } from '@wih/access-log';
import { UPCASTERS, withUpcasting } from '@wih/application';
import {
  EsdbEventStore,
  openSqliteEventStore,
  type EventStore,
  type HeadEventReader,
  type SqliteEventStoreOptions,
} from '@wih/event-store';
import { MongoKeyStore, openSqliteKeyStore, type KeyStore, type WrappedKeyCopy } from '@wih/key-store';
import { MongoReadStore, openSqliteReadStore, type ReadStore, type SqliteReadStoreOptions } from '@wih/read-store';
import { keyWrapperOf } from './key-encryption';
import type { Settings } from './settings';

/**
 * EVENT_STORE selects the adapter: the embedded SQLite file (default) or EventStoreDB. Every
 * process (API, projector, CLI) opens the log here, so every read goes through the upcaster chain.
 * `embedded` applies to the SQLite file only (the API checkpoints it in the background).
 */
export const openEventStore = (settings: Settings, embedded?: SqliteEventStoreOptions): EventStore =>
  withUpcasting(openRawEventStore(settings, embedded), UPCASTERS);

/** The log as stored, without the upcaster chain: only a store migration reads it so (it copies events as they are). */
export const openRawEventStore = (settings: Settings, embedded?: SqliteEventStoreOptions): EventStore & HeadEventReader =>
  settings.eventStore === 'eventstoredb' && settings.esdbUrl
    ? new EsdbEventStore(settings.esdbUrl)
    : openSqliteEventStore(settings.dataDir, embedded);

/** READ_STORE selects the adapter: the embedded SQLite file (default; `read.sqlite` in READ_DIR) or MongoDB. */
export const openReadStore = (settings: Settings, embedded?: SqliteReadStoreOptions): ReadStore =>
  settings.readStore === 'mongodb' && settings.mongoUrl
    ? new MongoReadStore(settings.mongoUrl)
    : openSqliteReadStore(settings.readDir, embedded);

/** KEY_STORE selects where the personal-data keys live: `keys.sqlite` in DATA_DIR (default) or MongoDB (database `wih_keys`). */
export const openKeyStore = (settings: Settings): KeyStore & WrappedKeyCopy => {
  // Every stored data key is wrapped under the key-encryption key, which lives outside the key store.
  const wrapper = keyWrapperOf(settings.keyEncryption);
  return settings.keyStore === 'mongodb' && settings.mongoKeysUrl
    ? new MongoKeyStore(settings.mongoKeysUrl, undefined, { formerDbName: settings.mongoKeysFormerDb, wrapper })
    : openSqliteKeyStore(settings.dataDir, { wrapper });
};

/** The access log follows READ_STORE: MongoDB (database `wih_access_log`) or `access-log.sqlite` in DATA_DIR. */
export const openAccessLog = (settings: Settings, embedded?: SqliteAccessLogOptions): AccessLog & AccessLogCopy =>
  settings.readStore === 'mongodb' && settings.mongoAccessLogUrl
    ? new MongoAccessLog(settings.mongoAccessLogUrl)
    : openSqliteAccessLog(settings.dataDir, embedded);
