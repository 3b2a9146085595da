/** One exit-code contract for every command: 0 done, 1 failed at run time, 2 usage or config error. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';
import { captureIo } from './helpers/capture-io.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  const { stdout, stderr, text } = captureIo();
  const code = await main(args, { stdout, stderr, env: { MORNING_BRIEF_CONFIG: '', OPENAI_API_KEY: '', ...env }, isTTY: false });
  return { code, out: text.out, err: text.err };
}

describe('one exit-code contract', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mb-exit-'));
  const env = { MORNING_BRIEF_DB: join(dir, 'brief.db') };

  it('is printed by --help of the program and of every command', async () => {
    for (const args of [['--help'], ['show', '--help'], ['broadcast', '--help'], ['feed', '--help']]) {
      const r = await cli(args, env);
      expect(r.out).toMatch(/Exit codes:\n\s+0\s+done\n\s+1\s+failed at run time[^\n]*\n\s+2\s+usage or config error/);
    }
  });

  it('a brief id, run id or file the user named that does not exist is a usage error (2) for every command', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['show', '999'], /No brief with id 999/],
      [['replay', '999'], /No run with id 999/],
      [['broadcast', '999'], /No brief with id 999/],
      [['feed', join(dir, 'missing.xml')], /cannot read .*missing\.xml/],
      [['replay', join(dir, 'missing.json')], /Cannot read .*missing\.json/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args, env);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.err).toMatch(message);
    }
  });

  it('ids beyond Number.MAX_SAFE_INTEGER are "not a valid id", never rounded to another number', async () => {
    for (const args of [['show', '99999999999999999999'], ['replay', '99999999999999999999'], ['broadcast', '9007199254740993']]) {
      const r = await cli(args, env);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/id "\d+" is not a valid id/);
      expect(r.err).not.toContain('100000000000000000000');
    }
    // The largest safe id is an id: looked up, not found, named as given.
    const edge = await cli(['show', String(Number.MAX_SAFE_INTEGER)], env);
    expect(edge.code).toBe(2);
    expect(edge.err).toContain(`No brief with id ${Number.MAX_SAFE_INTEGER}`);
  });

  it('a file that is not a feed is a run-time failure (1), not a usage error', async () => {
    const r = await cli(['feed', join(ROOT, 'test/fixtures/feeds/feedparser--notafeed.html')], env);
    expect(r.code).toBe(1);
    expect(r.err).toContain('not a feed');
  });
});
