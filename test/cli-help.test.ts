/** `--help` of the program and of every command touches nothing on disk: no database folder or file. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';
import { captureIo } from './helpers/capture-io.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  const { stdout, stderr, text } = captureIo();
  const code = await main(args, { stdout, stderr, env: { MORNING_BRIEF_CONFIG: '', OPENAI_API_KEY: '', ...env }, isTTY: false });
  return { code, out: text.out, err: text.err };
}

describe('--help touches nothing on disk', () => {
  const HELP_CALLS = [
    ['--help'],
    ['run', '--help'],
    ['replay', '--help'],
    ['sources', '--help'],
    ['feed', '--help'],
    ['history', '--help'],
    ['show', '--help'],
    ['broadcast', '--help'],
    ['serve', '--help'],
    ['discord', 'register', '--help'],
    ['subscribers', '--help'],
    ['subscribers', 'add', '--help'],
    ['subscribers', 'add', 'telegram', '555', '--help'],
    ['subscribers', 'list', '-h'],
    ['subscribers', 'remove', '--help'],
  ];

  for (const args of HELP_CALLS) it(`${args.join(' ')}: help on stdout, exit 0, no database folder or file`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-help-'));
    const dbFile = join(dir, 'data', 'brief.db');
    const r = await cli(args, { MORNING_BRIEF_DB: dbFile });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/usage/i);
    expect(existsSync(join(dir, 'data'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('`subscribers add --help` as a process in an empty folder leaves the folder empty (default ./data path)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-help-cwd-'));
    const env: NodeJS.ProcessEnv = { ...process.env, MORNING_BRIEF_CONFIG: '' };
    delete env.MORNING_BRIEF_DB;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', TSX, join(ROOT, 'src/main.ts'), 'subscribers', 'add', '--help'], { cwd: dir, env });
    expect(stdout).toMatch(/^usage: subscribers add/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
