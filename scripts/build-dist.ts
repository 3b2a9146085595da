/**
 * Vitest global setup (and bench:startup's first step): compiles src/ to dist/ when a source file is newer than the build, so
 * the tests that start bin/morning-brief.js run the code under test, not yesterday's build.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = join(ROOT, 'dist/main.js');
const CACHE = join(ROOT, 'node_modules/.cache/morning-brief');
/** Touched after each build: an incremental tsc rewrites only the files that changed. */
const STAMP = join(CACHE, 'dist.stamp');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export default function buildDist(): void {
  const sources = Math.max(newestMtime(join(ROOT, 'src')), statSync(join(ROOT, 'tsconfig.build.json')).mtimeMs, statSync(join(ROOT, 'tsconfig.json')).mtimeMs);
  const builtAt = Math.max(existsSync(ENTRY) ? statSync(ENTRY).mtimeMs : 0, existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0);
  // A fresh `npm ci` (prepare) wrote every file, so dist/main.js alone says it is current.
  if (existsSync(ENTRY) && builtAt >= sources) return;
  mkdirSync(CACHE, { recursive: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const build = [process.execPath, tsc, '-p', 'tsconfig.build.json'];
  // Two test runs at once must not write dist/ over each other.
  const command = existsSync('/usr/bin/flock') ? ['/usr/bin/flock', join(CACHE, 'build.lock'), ...build] : build;
  try {
    execFileSync(command[0]!, command.slice(1), { cwd: ROOT, stdio: 'pipe' });
  } catch (err) {
    // Type errors still emit dist/; `npm test` reports them in its tsc step.
    if (!existsSync(ENTRY)) throw new Error(`npm run build wrote no dist/main.js:\n${String((err as { stdout?: Buffer }).stdout ?? err)}`);
  }
  writeFileSync(STAMP, `${new Date(sources).toISOString()}\n`);
}
