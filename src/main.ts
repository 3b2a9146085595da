/** Process entry: loads .env (real environment wins), runs the CLI, sets the exit code. */
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { main } from './cli.ts';

function loadDotEnv(path = '.env'): void {
  if (!existsSync(path)) return;
  const values = parseEnv(readFileSync(path, 'utf8'));
  for (const [key, value] of Object.entries(values)) {
    if (process.env[key] === undefined && value !== undefined) process.env[key] = value;
  }
}

loadDotEnv();
// `morning-brief show 1 | head`: the reader closed the pipe; stop quietly, no stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(0);
  });
}
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY),
});
