/**
 * Database trouble through the CLI: one line naming the file and what to do, exit code 1, no
 * stack trace; `serve` refuses a corrupt database at start (PRAGMA quick_check).
 */
import { execFile } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { openDb } from '../../src/store/db.ts';
import { captureIo } from '../helpers/capture-io.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mb-db-'));
  chmodSync(dir, 0o777);
  return dir;
}

async function cli(args: string[], dbFile: string) {
  const { stdout, stderr, text } = captureIo();
  const code = await main(args, { stdout, stderr, env: { MORNING_BRIEF_DB: dbFile, MORNING_BRIEF_CONFIG: '', PORT: '0', LOG_LEVEL: 'silent' }, isTTY: false });
  return { code, out: text.out, err: text.err };
}

/** One line, no stack trace, the file named. */
function expectOneLine(err: string, file: string): void {
  expect(err.trim().split('\n')).toHaveLength(1);
  expect(err).toContain(`Database ${file} `);
  expect(err).not.toMatch(/\n\s+at /);
}

/** A real database whose pages after the first (the schema's) are overwritten with junk. */
function corruptDatabase(dir: string): string {
  const file = join(dir, 'corrupt.db');
  const db = openDb(file);
  const put = db.prepare("INSERT INTO feed_cache (url, feed_json, fetched_at) VALUES (?, ?, 'x')");
  for (let i = 0; i < 500; i++) put.run(`https://example.com/${i}`, 'x'.repeat(300));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const pageSize = 4096;
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  const junk = Buffer.alloc(size - pageSize, 0x5a);
  writeSync(fd, junk, 0, junk.length, pageSize);
  closeSync(fd);
  return file;
}

describe('database trouble', () => {
  it('a path whose folder cannot be made (a file in the way) is named with what to do', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'data'), 'not a folder');
    const file = join(dir, 'data', 'brief.db');
    const r = await cli(['history'], file);
    expect(r.code).toBe(1);
    expectOneLine(r.err, file);
    expect(r.err).toMatch(/cannot be created: its folder cannot be made \((ENOTDIR|EEXIST)\): set MORNING_BRIEF_DB/);
  });

  it('a directory given as the database file', async () => {
    const dir = tempDir();
    const file = join(dir, 'brief.db');
    mkdirSync(file);
    const r = await cli(['subscribers', 'list'], file);
    expect(r.code).toBe(1);
    expectOneLine(r.err, file);
    expect(r.err).toContain('is a directory, not a database file: set MORNING_BRIEF_DB to a file path');
  });

  it('a file that is not a database', async () => {
    const dir = tempDir();
    const file = join(dir, 'brief.db');
    writeFileSync(file, 'these are my notes, not a database\n'.repeat(100));
    const r = await cli(['history'], file);
    expect(r.code).toBe(1);
    expectOneLine(r.err, file);
    expect(r.err).toMatch(/is not a SQLite database \(SQLITE_NOTADB\): stop morning-brief and restore the file from a backup/);
  });

  it('a corrupt database: a command reading it says so, and `serve` refuses to start (quick_check)', async () => {
    const dir = tempDir();
    const file = corruptDatabase(dir);
    const history = await cli(['history'], file);
    expect(history.code).toBe(1);
    expectOneLine(history.err, file);
    expect(history.err).toMatch(/is corrupt \(SQLITE_CORRUPT\): stop morning-brief and restore the file from a backup \(README, "Backups"\)/);

    const serve = await cli(['serve'], file);
    expect(serve.code).toBe(1);
    expectOneLine(serve.err, file);
    expect(serve.err).toMatch(/is corrupt .*restore the file from a backup/);
  });

  it('a read-only database: adding a subscriber says to fix the permission', async () => {
    const dir = tempDir();
    const file = join(dir, 'brief.db');
    openDb(file).close();
    chmodSync(file, 0o444);
    // root writes anything: run the command as nobody then, as an operator's service user would be.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const result = await promisify(execFile)(process.execPath, ['--import', TSX, join(ROOT, 'src/main.ts'), 'subscribers', 'add', 'telegram', '555'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, MORNING_BRIEF_DB: file, LOG_LEVEL: 'silent' },
      ...asNobody,
    }).then(
      (r) => ({ code: 0, err: r.stderr }),
      (e: { code: number; stderr: string }) => ({ code: e.code, err: e.stderr }),
    );
    expect(result.code).toBe(1);
    expectOneLine(result.err, file);
    expect(result.err).toMatch(/is read-only \(SQLITE_READONLY\): fix the permission: the user running morning-brief must be able to write the file/);
  });
});
