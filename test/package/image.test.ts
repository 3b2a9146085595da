/**
 * The Docker image, checked without Docker: the runtime stage of the Dockerfile rebuilt in a
 * temporary folder (production dependencies only, the same prune script, exactly the files its
 * COPY lines copy), then `serve` started from it as a non-root user that can write only the
 * data folder, /healthz answered, SIGTERM. A missing COPY or a runtime import of a dev
 * dependency fails here.
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

interface RuntimeStage {
  copies: { fromBuild: boolean; src: string; dest: string }[];
  env: Record<string, string>;
  cmd: string[];
  user: string | null;
}

/** The Dockerfile's last stage: its COPY, ENV, USER and CMD lines (continuations joined). */
function runtimeStage(dockerfile: string): RuntimeStage {
  const lines = dockerfile.replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.trim());
  const stage = lines.slice(lines.map((l) => /^FROM\s/i.test(l)).lastIndexOf(true));
  const out: RuntimeStage = { copies: [], env: {}, cmd: [], user: null };
  for (const line of stage) {
    const copy = /^COPY\s+(--from=build\s+)?(\S+)\s+(\S+)$/i.exec(line);
    if (copy) out.copies.push({ fromBuild: Boolean(copy[1]), src: copy[2]!, dest: copy[3]! });
    else if (/^COPY\s/i.test(line)) throw new Error(`image.test.ts cannot read this COPY line yet: ${line}`);
    const env = /^ENV\s+(.*)$/i.exec(line);
    if (env) for (const [, k, v] of env[1]!.matchAll(/(\w+)=(\S+)/g)) out.env[k!] = v!;
    const user = /^USER\s+(\S+)$/i.exec(line);
    if (user) out.user = user[1]!;
    const cmd = /^CMD\s+(\[.*\])$/i.exec(line);
    if (cmd) out.cmd = JSON.parse(cmd[1]!) as string[];
  }
  return out;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

let dir: string;
let app: string;
let data: string;
let stage: RuntimeStage;

beforeAll(async () => {
  stage = runtimeStage(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  dir = mkdtempSync(join(tmpdir(), 'mb-image-'));
  chmodSync(dir, 0o755);
  // The build stage's /app: production dependencies, the addon, dist/, then the prune script.
  const build = join(dir, 'build');
  mkdirSync(build);
  for (const f of ['package.json', 'package-lock.json']) cpSync(join(ROOT, f), join(build, f));
  // better-sqlite3's install step would compile for minutes here; this checkout's addon is the
  // same version built for the same Node, and it is what `npm rebuild` leaves in the image.
  await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: build });
  const addon = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
  mkdirSync(join(build, addon, '..'), { recursive: true });
  cpSync(join(ROOT, addon), join(build, addon));
  cpSync(join(ROOT, 'dist'), join(build, 'dist'), { recursive: true });
  await run('sh', [join(ROOT, 'scripts/prune-native.sh'), build]);

  // The runtime stage: exactly what it copies, nothing else.
  app = join(dir, 'app');
  mkdirSync(app);
  for (const c of stage.copies) {
    const from = c.fromBuild ? join(build, c.src.replace(/^\/app\/?/, '')) : join(ROOT, c.src);
    const to = c.dest === './' ? join(app, c.src.split('/').pop()!) : join(app, c.dest);
    cpSync(from, to, { recursive: true });
  }
  rmSync(build, { recursive: true, force: true });
  data = join(dir, 'data');
  mkdirSync(data);
  if (asRoot) chownSync(data, NOBODY, NOBODY);
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the runtime image (Dockerfile, reproduced without Docker)', () => {
  it('carries no dev dependency, no TypeScript sources and no build leftovers of better-sqlite3', () => {
    for (const dev of ['tsx', 'typescript', 'vitest', 'esbuild', 'playwright-core', '@sparticuz/chromium']) expect(existsSync(join(app, 'node_modules', dev)), dev).toBe(false);
    expect(existsSync(join(app, 'src'))).toBe(false);
    const sqlite = join(app, 'node_modules/better-sqlite3');
    for (const leftover of ['deps', 'src', 'build/Release/obj.target', 'build/Release/obj', 'build/Release/test_extension.node', 'build/Release/sqlite3.a']) {
      expect(existsSync(join(sqlite, leftover)), leftover).toBe(false);
    }
    expect(existsSync(join(sqlite, 'build/Release/better_sqlite3.node'))).toBe(true);
    expect(stage.user, 'the image runs as a non-root user').not.toBeNull();
  });

  it(`starts serve ${asRoot ? 'as nobody' : 'as this (non-root) user'}, answers /healthz, and stops cleanly on SIGTERM`, async () => {
    const port = await freePort();
    const env = { PATH: process.env.PATH, HOME: '/nonexistent', ...stage.env, MORNING_BRIEF_DB: join(data, 'morning-brief.db'), PORT: String(port), HOST: '127.0.0.1' };
    // Root-run CI drops to nobody, who can write only the data folder (the image's /data).
    const [command, ...args] = asRoot ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', ...stage.cmd] : stage.cmd;
    const child = spawn(command!, args, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', r));
    try {
      let health: Response | null = null;
      while (!health && child.exitCode === null) {
        health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
        if (!health) await new Promise((r) => setTimeout(r, 50));
      }
      expect(health?.status, output).toBe(200);
      child.kill('SIGTERM');
      expect(await exited, output).toBe(0);
      expect(output).toContain('"msg":"stopped"');
      expect(output).not.toMatch(/EACCES|EROFS|ERR_MODULE_NOT_FOUND|Cannot find (module|package)/);
      expect(existsSync(join(data, 'morning-brief.db'))).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
