/** Shared by the kill -9 tests: the broadcast as a child process configured by env, and polling waits. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FakeTelegram } from '../fakes/telegram-server.ts';

const CHILD = fileURLToPath(new URL('./fixtures/broadcast-child.ts', import.meta.url));

export async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export interface Child {
  proc: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
}

/** `broadcast` in its own process (fixtures/broadcast-child.ts), printing its report as JSON. */
export function startChild(env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, exited, output: () => out };
}

/** The last line a child printed, parsed as its JSON report. */
export function reportOf<T>(child: Child): T {
  return JSON.parse(child.output().trim().split('\n').pop()!) as T;
}

export function envFor(server: FakeTelegram, file: string, briefId: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: server.token,
    TELEGRAM_API_ROOT: server.url,
    TELEGRAM_MESSAGES_PER_SECOND: '40',
    MORNING_BRIEF_DB: file,
    BRIEF_ID: String(briefId),
    DELIVERY_MAX_ATTEMPTS: '5',
    LOG_LEVEL: 'silent',
    ...extra,
  };
}
