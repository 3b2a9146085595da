/**
 * npm run test:stress: the test suite 5 times in a row with two CPU-burning processes beside it,
 * so a test that only passes on an idle machine fails here. Extra arguments go to vitest.
 * @example npm run test:stress -- test/pipeline.test.ts test/service.test.ts
 * @example npm run test:stress -- --runs 2
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 5;
const BURNERS = 2;

function run(command: string, argv: string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(command, argv, { cwd: ROOT, stdio: 'inherit' });
    child.on('close', resolve);
  });
}

// Busy loops, each its own process, ended by pid when the runs are over.
const burners: ChildProcess[] = Array.from({ length: BURNERS }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
const stopBurners = () => burners.forEach((b) => b.kill('SIGKILL'));
process.once('SIGINT', () => {
  stopBurners();
  process.exit(130);
});

const results: string[] = [];
try {
  for (let i = 1; i <= RUNS; i++) {
    const started = Date.now();
    const code = await run(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), '--run', ...args]);
    results.push(`run ${i}/${RUNS}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${Math.round((Date.now() - started) / 1000)} s`);
    console.log(`\ntest:stress ${results.at(-1)} with ${BURNERS} CPU burners\n`);
  }
} finally {
  stopBurners();
}
console.log(`test:stress summary (${BURNERS} CPU burners):\n  ${results.join('\n  ')}`);
process.exitCode = results.every((r) => r.includes('passed')) ? 0 : 1;
