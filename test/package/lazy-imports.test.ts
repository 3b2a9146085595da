/**
 * Each command loads what it uses: --version and --help load no platform SDK, and the
 * commands that only write a brief (demo, replay) load no Discord or Telegram code.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'mb-imports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PLATFORM_SDKS = ['discord.js', '@discordjs', 'telegraf'];
const ALL_SDKS = [...PLATFORM_SDKS, 'openai', 'better-sqlite3', 'prom-client', 'node-cron'];

/** The packages under node_modules that one run of the compiled CLI (dist/main.js) loaded. */
async function packagesLoadedBy(args: string[]): Promise<string[]> {
  const file = join(dir, `${args.join('_').replace(/\W/g, '')}.txt`);
  await run(process.execPath, ['--import', join(ROOT, 'test/helpers/record-imports.mjs'), join(ROOT, 'dist/main.js'), ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, RECORD_IMPORTS_FILE: file },
  });
  const urls = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const names = urls.map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1]).filter((n): n is string => Boolean(n));
  return [...new Set(names)];
}

const loadsAny = (loaded: string[], sdks: string[]) => loaded.filter((p) => sdks.some((s) => p === s || p.startsWith(`${s}/`)));

describe('what each command loads', () => {
  it('--version and --help load no SDK, no database driver, no metrics', async () => {
    for (const args of [['--version'], ['--help'], ['run', '--help']]) {
      const loaded = await packagesLoadedBy(args);
      expect(loaded, args.join(' ')).toContain('commander');
      expect(loadsAny(loaded, ALL_SDKS), args.join(' ')).toEqual([]);
    }
  });

  it('demo and replay load no Discord or Telegram code', async () => {
    for (const args of [['demo'], ['replay', join(ROOT, 'examples/snapshot.json'), '--no-store', '--writer', 'extractive']]) {
      const loaded = await packagesLoadedBy(args);
      expect(loaded, args.join(' ')).toContain('zod');
      expect(loadsAny(loaded, PLATFORM_SDKS), args.join(' ')).toEqual([]);
    }
  });
});
