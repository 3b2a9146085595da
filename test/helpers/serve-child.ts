/** `morning-brief serve` as a child process for end-to-end tests: its output, its URL, its exit. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENV_PATHS } from '../../src/config.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/morning-brief.js');

export interface ServeChild {
  proc: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
  /** The HTTP server's address, from the "http server listening" log line. */
  url: Promise<string>;
}

/** The environment without any of the service's own variables, so only the config file speaks. */
export function cleanEnv(configPath: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!(k in ENV_PATHS) && k !== 'MORNING_BRIEF_CONFIG') env[k] = v;
  return { ...env, MORNING_BRIEF_CONFIG: configPath };
}

/** @example const child = startServeChild(cleanEnv(configPath)); const url = await child.url; */
export function startServeChild(env: NodeJS.ProcessEnv, onCleanup: (fn: () => void) => void): ServeChild {
  const proc = spawn(process.execPath, [BIN, 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let resolveUrl: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (resolveUrl = resolve));
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    const line = out.split('\n').find((l) => l.includes('"http server listening"'));
    if (line) resolveUrl((JSON.parse(line) as { url: string }).url);
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  onCleanup(() => void proc.kill('SIGKILL'));
  // A process that dies before listening fails the test with its output instead of hanging it.
  const listening = Promise.race([url, exited.then((code) => Promise.reject(new Error(`serve exited with ${code} before listening:\n${out.slice(-4000)}`)))]);
  listening.catch(() => undefined);
  return { proc, exited, output: () => out, url: listening };
}

/** Polls `check` until true; a generous bound, with the child's output in the failure. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs: number, child?: ServeChild): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${child ? `\n--- child output ---\n${child.output().slice(-4000)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
