import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { databasePath } from './db.ts';

export type Cache = Keyv;

/**
 * A namespaced Keyv cache in the archive's SQLite file (table `keyv`), so one file holds
 * everything. An in-memory archive gets an in-memory cache.
 */
export function openCache(databaseUrl: string, namespace: string): Cache {
  const path = databasePath(databaseUrl);
  if (path === ':memory:') return new Keyv({ namespace });
  return new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: 5000 }), namespace });
}
