/** Database trouble as one line that names the file and says what to do, instead of a stack trace. */
import { statSync } from 'node:fs';

/** The database cannot be opened or used; the message is for the operator, as it is. */
export class DatabaseError extends Error {
  override name = 'DatabaseError';
  constructor(
    readonly file: string,
    readonly code: string,
    problem: string,
    advice: string,
  ) {
    super(`Database ${file} ${problem}: ${advice}.`);
  }
}

const RESTORE = 'stop morning-brief and restore the file from a backup (README, "Backups"), or set MORNING_BRIEF_DB to another file';
const PERMISSION = 'fix the permission: the user running morning-brief must be able to write the file and its folder (or set MORNING_BRIEF_DB elsewhere)';

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The error as a DatabaseError when it is one we can explain (SQLite's codes, or the folder
 * that could not be made), else null.
 * @example try { openDb(file) } catch (err) { throw explainDbError(err, file) ?? err; }
 */
export function explainDbError(err: unknown, file: string): DatabaseError | null {
  if (err instanceof DatabaseError) return err;
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  const make = (problem: string, advice: string) => new DatabaseError(file, code, problem, advice);
  if (code.startsWith('SQLITE_CORRUPT')) return make('is corrupt (SQLITE_CORRUPT)', RESTORE);
  if (code === 'SQLITE_NOTADB') return make('is not a SQLite database (SQLITE_NOTADB)', RESTORE);
  if (code.startsWith('SQLITE_READONLY')) return make(`is read-only (${code})`, PERMISSION);
  if (code === 'SQLITE_PERM' || code === 'SQLITE_AUTH' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return make(`cannot be written (${code})`, PERMISSION);
  if (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_CANTOPEN')) {
    if (isDirectory(file)) return make('is a directory, not a database file', 'set MORNING_BRIEF_DB to a file path, e.g. ./data/morning-brief.db');
    return make(`cannot be opened (${code})`, `check that its folder exists and is writable; ${PERMISSION.replace('fix the permission: ', '')}`);
  }
  if (code === 'ENOTDIR' || code === 'ENOENT' || code === 'EEXIST') return make(`cannot be created: its folder cannot be made (${code})`, 'set MORNING_BRIEF_DB to a path whose folders are folders, not files');
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return make(`cannot grow: the disk is full (${code})`, 'free some space and try again');
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return make(`is locked by another process (${code})`, 'wait for it to finish, or stop the other morning-brief using the same file');
  if (code.startsWith('SQLITE_IOERR')) return make(`could not be read or written (${code})`, `check the disk; if it keeps failing, ${RESTORE}`);
  return null;
}

/**
 * PRAGMA quick_check: a corrupt database is refused before the service writes to it.
 * @example assertIntact(db, config.db); // throws DatabaseError "… is corrupt …"
 */
export function assertIntact(db: { pragma(sql: string, options?: { simple: boolean }): unknown }, file: string): void {
  let result: unknown;
  try {
    result = db.pragma('quick_check(1)', { simple: true });
  } catch (err) {
    throw explainDbError(err, file) ?? err;
  }
  if (result !== 'ok') throw new DatabaseError(file, 'SQLITE_CORRUPT', `is corrupt (quick_check: ${String(result).replace(/\s+/g, ' ').slice(0, 120)})`, RESTORE);
}
