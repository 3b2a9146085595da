#!/usr/bin/env node
// Runs the compiled CLI in dist/ (`npm run build`; `npm ci` builds it through `prepare`).
import { existsSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
// `--version` alone needs nothing but package.json: answer before loading the CLI at all.
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  const entry = new URL('../dist/main.js', import.meta.url);
  if (!existsSync(entry)) {
    process.stderr.write('morning-brief: dist/ is missing: run `npm run build` (npm ci does it) first.\n');
    process.exit(1);
  }
  await import(entry.href);
}
