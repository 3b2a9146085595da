/**
 * npm run bench:startup: how long the compiled command takes, as a user waits for it. Median of
 * 5 wall times for --version, --help, demo, and serve until /healthz answers (then SIGTERM).
 * Targets on the dev machine: --version <= 150 ms, --help <= 300 ms, demo <= 1.5 s.
 * @example npm run bench:startup -- --runs 9
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import buildDist from './build-dist.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/morning-brief.js');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const TARGETS: Record<string, number | undefined> = { '--version': 150, '--help': 300, demo: 1500 };

const dir = mkdtempSync(join(tmpdir(), 'mb-bench-startup-'));
/** No keys and no config: what a fresh install runs with. */
const env = { PATH: process.env.PATH, HOME: dir, MORNING_BRIEF_DB: join(dir, 'brief.db'), LOG_LEVEL: 'warn' };

function timeCommand(args: string[], script: string[] = [BIN]): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...script, ...args], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${args.join(' ')} exited ${code}: ${err}`))));
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** serve from spawn to the first 200 from /healthz. */
async function timeServe(): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve'], { cwd: dir, env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: 'ignore' });
  const exited = new Promise<number | null>((r) => child.on('close', r));
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) return performance.now() - started;
      if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode} before /healthz answered`);
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

buildDist();
const cases: [string, () => Promise<number>][] = [
  // What Node itself costs on this machine right now: the floor under every figure below.
  ['node -e 0', () => timeCommand([], ['-e', '0'])],
  ['--version', () => timeCommand(['--version'])],
  ['--help', () => timeCommand(['--help'])],
  ['demo', () => timeCommand(['demo'])],
  ['serve → /healthz', timeServe],
];
let missed = 0;
try {
  for (const [name, run] of cases) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) times.push(await run());
    const m = median(times);
    const target = TARGETS[name];
    const verdict = target === undefined ? '' : m <= target ? `  (target ≤ ${target} ms: met)` : `  (target ≤ ${target} ms: MISSED)`;
    if (target !== undefined && m > target) missed++;
    console.log(`${name.padEnd(17)} median ${Math.round(m).toString().padStart(5)} ms of ${RUNS}  [${times.map((t) => Math.round(t)).join(', ')}]${verdict}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = missed > 0 ? 1 : 0;
