/** Opens the SQLite file (creating its folder), sets safe pragmas and applies migrations; trouble is a DatabaseError. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { assertIntact, explainDbError } from './db-errors.ts';
import { MIGRATIONS } from './migrations.ts';

export type Db = Database.Database;

export interface OpenDbOptions {
  /** Run PRAGMA quick_check and refuse a corrupt file (serve does, at start). */
  checkIntegrity?: boolean;
}

/**
 * Any trouble (a folder that cannot be made, a directory, not a database, read-only, corrupt)
 * is a DatabaseError whose message names the file and what to do.
 * @example const db = openDb('./data/morning-brief.db', { checkIntegrity: true });
 */
export function openDb(file: string, options: OpenDbOptions = {}): Db {
  let db: Db | null = null;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    // FULL: a row marked "sent" survives a power cut, which the outbox's promise rests on.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (options.checkIntegrity) assertIntact(db, file);
    migrate(db);
    return db;
  } catch (err) {
    db?.close();
    throw explainDbError(err, file) ?? err;
  }
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current >= MIGRATIONS.length) return;
  // A migration that rebuilds a table (SQLite's way to change a column) must not cascade or
  // trip foreign keys while the old table is dropped (ids are copied as they are).
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    for (let version = current; version < MIGRATIONS.length; version++) {
      db.transaction(() => {
        db.exec(MIGRATIONS[version]!);
        db.pragma(`user_version = ${version + 1}`);
      })();
    }
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
}
