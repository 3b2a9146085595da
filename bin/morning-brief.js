#!/usr/bin/env node
// Runs the compiled CLI in dist/ (`npm run build`; `npm ci` builds it through `prepare`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('morning-brief: dist/ is missing: run `npm run build` (npm ci does it) first.\n');
  process.exit(1);
}
await import(entry.href);
