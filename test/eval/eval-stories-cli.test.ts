/**
 * `npm run eval:stories` as a user runs it: on a folder with one real labelled day it prints
 * the figures and exits 0; on a folder whose file breaks the schema it names the file and exits 2.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const SCRIPT = join(ROOT, 'scripts/eval-stories.ts');
const DAY = join(ROOT, 'eval/stories/en/2024-06-17.json');
/** Two child processes that each load the pipeline: generous, so a busy machine does not fail it. */
const CHILD_TIMEOUT_MS = 120_000;

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', TSX, SCRIPT, ...args], { cwd: ROOT }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('eval:stories', () => {
  it('scores a labelled day: per-day and overall figures beside the targets and the merge-nothing baseline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eval-stories-'));
    copyFileSync(DAY, join(dir, '2024-06-17.json'));
    const text = await run([dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^2024-06-17 {2}20 headlines, 14 outlets, 17 events/m);
    expect(text.stdout).toMatch(/target F1 >= 0\.85/);
    expect(text.stdout).toMatch(/baseline \(merge nothing\): pairwise P 1\.000 {2}R 0\.000 {2}F1 0\.000/);
    expect(text.stdout).toMatch(/title leads: "[^"]+" \[/);

    const json = await run([dir, '--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as {
      overall: { headlines: number; outlets: string[]; baselinePairwise: { recall: number }; hardNegatives: number };
      days: { date: string; events: number; leads: unknown[] }[];
    };
    expect(report.overall.headlines).toBe(20);
    expect(report.overall.outlets).toHaveLength(14);
    expect(report.overall.baselinePairwise.recall).toBe(0);
    expect(report.overall.hardNegatives).toBe(3);
    expect(report.days.map((d) => [d.date, d.events, d.leads.length])).toEqual([['2024-06-17', 17, 2]]);
  }, CHILD_TIMEOUT_MS);

  it('refuses a day file that breaks the schema: exit 2 and the file, field and reason on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eval-stories-bad-'));
    const day = JSON.parse(readFileSync(DAY, 'utf8')) as { headlines: { event: string }[] };
    day.headlines[0]!.event = 'no-such-event';
    writeFileSync(join(dir, '2024-06-17.json'), JSON.stringify(day));
    const { code, stdout, stderr } = await run([dir]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('2024-06-17.json: headlines.0.event: event "no-such-event" is not described in events');
  }, CHILD_TIMEOUT_MS);
});
