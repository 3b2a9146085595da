/**
 * The `morning-brief` command. `main()` takes argv and its streams so tests can run it
 * in-process; src/main.ts is the process entry.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { cleanSummary, cleanTitle, terminalSafeStream } from './util/clean-text.ts';
// Only types at the top: each command imports what it uses inside its action, so --version
// and --help load no SDK, and run/replay/demo load no Discord or Telegram code.
import type { App } from './app.ts';
import type { Config } from './config.ts';
import type { Snapshot } from './domain.ts';
import type { RunResult, WriterMode } from './pipeline.ts';
import { LANGUAGE_HELP, parseLanguage } from './util/language.ts';

const PACKAGE_VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
/** Found beside the package (src/ or dist/), not in the working folder. */
const BUNDLED_SNAPSHOT = fileURLToPath(new URL('../examples/snapshot.json', import.meta.url));
const BUNDLED_SNAPSHOT_ZH = fileURLToPath(new URL('../examples/snapshot.zh.json', import.meta.url));

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** stderr is a terminal: show live progress. */
  isTTY: boolean;
}

/** A wrong argument: a helpful message, exit code 2, nothing changed. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const WRITERS = ['auto', 'llm', 'extractive'] as const;

/** The one exit-code contract every command follows (README "Exit codes" says the same). */
const EXIT_CODES_HELP = `
Exit codes:
  0  done
  1  failed at run time: nothing gathered, not a feed, delivery failed or incomplete, database trouble
  2  usage or config error: a wrong argument, a brief id, run id or file that does not exist, a bad setting`;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

/** --lang: the same check as BRIEF_LANGUAGE, `subscribers add --lang` and the bots' /lang. */
function languageArg(value: string): string {
  const code = parseLanguage(value);
  if (code === null) throw new InvalidArgumentError(`expected ${LANGUAGE_HELP}`);
  return code;
}

/** A positional id: "show abc" says which argument is wrong. */
function idArgument(what: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0) throw new UsageError(`error: ${what} "${value}" is not valid: expected a positive whole number`);
  // Past 2^53 a number is no longer itself: 99999999999999999999 would be looked up as 1e20.
  if (!Number.isSafeInteger(Number(value))) throw new UsageError(`error: ${what} "${value}" is not a valid id: ids go up to ${Number.MAX_SAFE_INTEGER}`);
  return Number(value);
}

interface CommonOptions {
  config?: string;
  json?: boolean;
  quiet?: boolean;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  // Nothing printed carries an escape sequence, control or bidi override from outside (feeds, stored briefs).
  io = { ...io, stdout: terminalSafeStream(io.stdout) };
  let exitCode = 0;
  const program = new Command('morning-brief')
    .description('A market morning brief from keyless public sources, for the terminal, Telegram and Discord.')
    .version(PACKAGE_VERSION, '-V, --version')
    .option('-c, --config <file>', 'JSON config file (or MORNING_BRIEF_CONFIG)')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('afterAll', EXIT_CODES_HELP)
    .addHelpText(
      'after',
      `
Examples:
  morning-brief demo                          a brief from the bundled snapshot: no keys, no network
  morning-brief run                           gather today's data, write, store and print the brief
  morning-brief run --json > today.json       the brief, the snapshot and the stories as JSON
  morning-brief sources                       probe every source: ok/FAIL, time, items
  morning-brief replay 12 --writer llm        write run 12's brief again with the LLM
  morning-brief subscribers add telegram 123456789 --time 07:30 --timezone Europe/Berlin
  LOG_FORMAT=pretty morning-brief serve       bots, scheduler, delivery and the HTTP server

Settings come from the environment, .env or --config; see .env.example.`,
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  /** The database file of the loaded config, to name it when SQLite fails mid-command. */
  let dbFile: string | null = null;
  /** Config problems end the program here with every bad field named. */
  const config = async (): Promise<Readonly<Config>> => {
    const cfg = (await import('./config.ts')).loadConfig({ env: io.env, configPath: program.opts<CommonOptions>().config });
    dbFile = cfg.db;
    return cfg;
  };

  /** One-shot commands keep the terminal for the brief: logs only when asked for with LOG_LEVEL. */
  const app = async (opts: { useDb?: boolean; quiet?: boolean } = {}): Promise<App> => {
    const cfg = await config();
    const { createApp } = await import('./app.ts');
    return createApp(cfg, { useDb: opts.useDb ?? true, logLevel: io.env.LOG_LEVEL ?? (opts.quiet ? 'silent' : 'error') });
  };

  const printResult = async (result: RunResult, opts: CommonOptions) => {
    if (opts.json) {
      io.stdout.write(
        `${JSON.stringify({ runId: result.runId, briefId: result.briefId, brief: result.brief, snapshot: result.snapshot, stories: result.stories, usage: result.usage, costUsd: result.costUsd, attempts: result.attempts }, null, 2)}\n`,
      );
      return;
    }
    const { renderText } = await import('./render/text.ts');
    io.stdout.write(`${renderText(result.brief)}\n`);
    // Why this writer's brief went out (a refused draft, an API error) is a diagnostic: stderr, not the brief.
    if (!opts.quiet && result.brief.writerReason) io.stderr.write(`(${result.brief.writerReason})\n`);
    if (!opts.quiet && result.briefId !== null) {
      io.stderr.write(`\nStored as brief ${result.briefId} (run ${result.runId}); \`morning-brief show ${result.briefId}\` explains it.\n`);
    }
  };

  const writerOption = () =>
    new Option('-w, --writer <writer>', 'who writes the brief: llm, extractive, or auto (llm when OPENAI_API_KEY is set)').choices(WRITERS).default('auto');

  program
    .command('run')
    .description("gather today's data, write the brief, store it and print it")
    .addOption(writerOption())
    .option('--json', 'print { brief, snapshot, stories } as JSON')
    .option('-q, --quiet', 'print only the brief')
    .option('-l, --lang <language>', 'the brief language (e.g. en, zh); default BRIEF_LANGUAGE', languageArg)
    .option('--post', 'deliver the new brief to every active subscriber now')
    .action(async (opts: CommonOptions & { writer: WriterMode; lang?: string; post?: boolean }) => {
      const a = await app({ quiet: Boolean(opts.quiet || opts.json) });
      try {
        const [{ runBrief }, { progressReporter }] = await Promise.all([import('./pipeline.ts'), import('./commands/sources.ts')]);
        const showProgress = io.isTTY && !opts.quiet && !opts.json;
        const result = await runBrief(
          { ...a, ...(showProgress ? { onProgress: progressReporter(io.stderr, true) } : {}) },
          { trigger: 'cli', writer: opts.writer, ...(opts.lang ? { language: opts.lang } : {}) },
        );
        await printResult(result, opts);
        // Every source failed: the brief says so, and scripts can tell from the exit code.
        // Subscribers are not sent a brief that holds no news.
        if (!result.snapshot.statuses.some((s) => s.ok)) {
          exitCode = 1;
          io.stderr.write(
            `Every source failed: nothing was gathered (no network?); \`morning-brief sources\` probes each one.${opts.post ? ' Not posted.' : ''}\n`,
          );
        } else if (opts.post) exitCode = Math.max(exitCode, await post(a, result.briefId!));
      } finally {
        a.close();
      }
    });

  type ReplayOptions = CommonOptions & { writer: WriterMode; prompts?: string; store: boolean; lang?: string; post?: boolean; card?: string | false };
  const replay = async (target: string, opts: ReplayOptions): Promise<void> => {
    if (opts.post && !opts.store) throw new UsageError('--post needs the brief stored: drop --no-store.');
    const missingPrompts = opts.prompts ? ['system.md', 'user.md'].filter((f) => !existsSync(join(opts.prompts!, f))) : [];
    if (missingPrompts.length > 0) throw new UsageError(`--prompts ${opts.prompts}: missing ${missingPrompts.join(' and ')} (copy prompts/ and edit it).`);
    const a = await app({ useDb: opts.store || /^\d+$/.test(target), quiet: Boolean(opts.quiet || opts.json) });
    try {
      const { runBrief } = await import('./pipeline.ts');
      const snapshot = await loadSnapshot(target, a);
      // A different prompt folder is just a different llm.promptsDir for this run.
      const runConfig = opts.prompts ? { ...a.config, llm: { ...a.config.llm, promptsDir: opts.prompts } } : a.config;
      const result = await runBrief(
        { ...a, config: runConfig, db: opts.store ? a.db : null },
        {
          trigger: /^\d+$/.test(target) ? `replay:${target}` : 'replay:file',
          writer: opts.writer,
          snapshot,
          ...(opts.lang ? { language: opts.lang } : {}),
        },
      );
      await printResult(result, opts);
      // The market card goes to a file; where it went is said on stderr, so stdout stays the brief.
      if (opts.card) await (await import('./commands/card-file.ts')).writeCardFile(result, opts.card, { stderr: io.stderr });
      if (opts.post) exitCode = await post(a, result.briefId!);
    } finally {
      a.close();
    }
  };

  program
    .command('replay <target>')
    .description('write the brief again from stored inputs: a snapshot JSON file or a run id')
    .addOption(writerOption())
    .option('--prompts <dir>', 'use the prompt templates in this folder instead of prompts/')
    .option('--json', 'print { brief, snapshot, stories } as JSON')
    .option('-q, --quiet', 'print only the brief')
    .option('--no-store', 'do not store the run and the brief')
    .option('-l, --lang <language>', 'the brief language', languageArg)
    .option('--post', 'deliver the rewritten brief to every active subscriber now')
    .action(replay);

  program
    .command('demo')
    .description('write a brief from the bundled snapshot with the extractive writer: no keys, no network, nothing stored')
    .option('--json', 'print { brief, snapshot, stories } as JSON')
    .option('--card <file>', 'where to write the market card PNG (default: morning-brief-card.png in the temp folder)')
    .option('--no-card', 'do not draw the market card')
    .option('-l, --lang <language>', 'the brief language: zh replays the bundled Chinese snapshot (examples/snapshot.zh.json)', languageArg)
    .action(async (opts: CommonOptions & { card?: string | boolean; lang?: string }) => {
      const card = opts.card === false ? false : typeof opts.card === 'string' ? opts.card : (await import('./commands/card-file.ts')).defaultCardPath();
      const snapshot = opts.lang && /^zh\b/iu.test(opts.lang) ? BUNDLED_SNAPSHOT_ZH : BUNDLED_SNAPSHOT;
      await replay(snapshot, { ...opts, writer: 'extractive', store: false, card });
    });

  /** Delivery report on stderr (stdout keeps the brief or the JSON). */
  const post = async (a: App, briefId: number): Promise<number> =>
    (await import('./commands/broadcast.ts')).runBroadcastCommand({ briefId }, { db: a.db!, config: a.config, stdout: io.stderr, stderr: io.stderr, log: a.log });

  program
    .command('sources')
    .description('probe every source and show its status and time')
    .option('--json', 'print the statuses as JSON')
    .action(async (opts: CommonOptions) => {
      const a = await app();
      try {
        const { runSourcesCommand } = await import('./commands/sources.ts');
        exitCode = await runSourcesCommand(a.config, { http: a.http, now: a.now, feedCache: a.feedCache, stdout: io.stdout, isTTY: io.isTTY }, { json: Boolean(opts.json) });
      } finally {
        a.close();
      }
    });

  program
    .command('feed <target>')
    .description('read one feed (URL or file) and show what the reader got')
    .option('--json', 'print the parsed feed as JSON')
    .action(async (target: string, opts: CommonOptions) => {
      const a = await app({ useDb: false });
      const { runFeedCommand } = await import('./commands/feed.ts');
      exitCode = await runFeedCommand(target, { json: Boolean(opts.json) }, {
        http: a.http,
        stdout: io.stdout,
        stderr: io.stderr,
        readFile: async (p: string) => new Uint8Array(await readFile(p)),
        timeoutMs: a.config.sources.timeoutMs,
        userAgent: a.config.sources.userAgent,
      });
    });

  program
    .command('history')
    .description('list past briefs: writer, tokens and cost')
    .option('-n, --limit <count>', 'how many', positiveInt, 20)
    .option('--json', 'print as JSON')
    .action(async (opts: CommonOptions & { limit: number }) => {
      const a = await app();
      try {
        const { runHistoryCommand } = await import('./commands/history.ts');
        exitCode = runHistoryCommand(a.db!, { limit: opts.limit, json: Boolean(opts.json) }, io);
      } finally {
        a.close();
      }
    });

  program
    .command('show <briefId>')
    .description('show one stored brief and how it was made')
    .option('--json', 'print the brief, its stories and its snapshot as JSON')
    .action(async (briefId: string, opts: CommonOptions) => {
      const id = idArgument('brief id', briefId);
      const a = await app();
      try {
        const { runShowCommand } = await import('./commands/history.ts');
        exitCode = runShowCommand(a.db!, id, { json: Boolean(opts.json) }, io);
      } finally {
        a.close();
      }
    });

  program
    .command('subscribers <action> [args...]')
    .description('manage subscribers: list [--platform p] [--json] | add <platform> <chat id|webhook url> [--time HH:MM] [--timezone Area/City] [--lang xx] | remove <platform> <chat id>')
    .allowUnknownOption()
    .helpOption(false)
    .action(async (action: string, args: string[]) => {
      // helpOption(false) keeps "--help" for the actions; without one it is the whole usage.
      if (action === '--help' || action === '-h' || action === 'help') {
        io.stdout.write(`${(await import('./commands/subscribers.ts')).SUBSCRIBERS_USAGE}\n`);
        return;
      }
      if (action !== 'list' && action !== 'add' && action !== 'remove') {
        throw new UsageError(`Unknown action "${action}": use subscribers list, subscribers add <platform> <chat id>, or subscribers remove <platform> <chat id>.`);
      }
      // Help touches nothing: no config read, no database folder or file created.
      const help = (await import('./commands/subscribers.ts')).subscribersHelp(action, args);
      if (help) {
        io.stdout.write(`${help}\n`);
        return;
      }
      const a = await app();
      try {
        const { runSubscribersCommand } = await import('./commands/subscribers.ts');
        exitCode = runSubscribersCommand(action, args, { db: a.db!, stdout: io.stdout, stderr: io.stderr, config: a.config });
      } finally {
        a.close();
      }
    });

  program
    .command('broadcast [briefId]')
    .description('deliver a stored brief (default: the latest) to every active subscriber now; safe to run again after a crash')
    .option('-l, --lang <language>', 'only subscribers of this language, with the latest brief in it', languageArg)
    .option('-p, --platform <platform>', 'only this platform (telegram, discord, discord-webhook)')
    .option('--json', 'print the delivery report as JSON')
    .action(async (briefId: string | undefined, opts: CommonOptions & { lang?: string; platform?: string }) => {
      const a = await app();
      try {
        const { runBroadcastCommand } = await import('./commands/broadcast.ts');
        exitCode = await runBroadcastCommand(
          {
            ...(briefId !== undefined ? { briefId: idArgument('brief id', briefId) } : {}),
            ...(opts.lang ? { language: opts.lang } : {}),
            ...(opts.platform ? { platform: opts.platform } : {}),
            json: Boolean(opts.json),
          },
          { db: a.db!, config: a.config, stdout: io.stdout, stderr: io.stderr, log: a.log },
        );
      } finally {
        a.close();
      }
    });

  program
    .command('serve')
    .description('run the service: Telegram and Discord bots, the scheduler, delivery and the HTTP server')
    .action(async () => {
      const cfg = await config();
      const [{ createApp }, { startService }, { describeServe }] = await Promise.all([import('./app.ts'), import('./service.ts'), import('./commands/serve-summary.ts')]);
      const served = createApp(cfg, { logLevel: io.env.LOG_LEVEL ?? cfg.logLevel });
      // The operator sees first what runs and what is off, and why (names only, no secrets).
      served.log.info(describeServe(cfg), 'serve starting');
      const service = await startService(served);
      await new Promise<void>((resolve) => {
        const shutdown = (signal: string) => {
          // A second signal, or a shutdown that hangs, ends the process anyway.
          const force = setTimeout(() => process.exit(1), 15_000);
          force.unref();
          void service.stop(signal).finally(() => {
            clearTimeout(force);
            resolve();
          });
        };
        process.once('SIGTERM', () => shutdown('SIGTERM'));
        process.once('SIGINT', () => shutdown('SIGINT'));
      });
    });

  program
    .command('discord')
    .description('Discord tools')
    .command('register')
    .description('register the slash commands (bulk overwrite): on one server with --guild (instant), else globally')
    .option('--guild <id>', 'a server id, for testing')
    .action(async (opts: { guild?: string }) => {
      const { runDiscordRegister } = await import('./commands/discord.ts');
      exitCode = await runDiscordRegister(opts.guild ? { guild: opts.guild } : {}, { config: await config(), stdout: io.stdout, stderr: io.stderr });
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    // Thrown by our own argument checks inside an action (show abc): commander has not
    // printed it. It is a CommanderError too, so it is handled first.
    if (err instanceof InvalidArgumentError) {
      io.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; a bad argument with 2.
      return err.exitCode === 0 ? 0 : 2;
    }
    const { ConfigError } = await import('./config.ts');
    if (err instanceof ConfigError || err instanceof UsageError) {
      io.stderr.write(`${err.message}\n`);
      return 2;
    }
    // Database trouble: one line naming the file and what to do, no stack trace (exit 1).
    const { DatabaseError, explainDbError } = await import('./store/db-errors.ts');
    const sqliteCode = typeof err === 'object' && err !== null && 'code' in err && String(err.code).startsWith('SQLITE_');
    const dbError = err instanceof DatabaseError ? err : sqliteCode && dbFile ? explainDbError(err, dbFile) : null;
    if (dbError) {
      io.stderr.write(`${dbError.message}\n`);
      return 1;
    }
    throw err;
  }
}

async function loadSnapshot(target: string, app: App): Promise<Snapshot> {
  if (/^\d+$/.test(target)) {
    const { getRunSnapshot } = await import('./store/runs.ts');
    const snapshot = app.db ? getRunSnapshot(app.db, idArgument('run id', target)) : null;
    if (!snapshot) throw new UsageError(`No run with id ${target}. \`morning-brief history\` lists runs.`);
    return snapshot;
  }
  let raw: string;
  try {
    raw = await readFile(target, 'utf8');
  } catch {
    throw new UsageError(`Cannot read ${target}: give a snapshot JSON file (e.g. examples/snapshot.json) or a run id.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new UsageError(`${target} is not JSON: ${(err as Error).message}`);
  }
  // Accept the output of `run --json` too: it holds the snapshot under "snapshot".
  const candidate = typeof json === 'object' && json !== null && 'snapshot' in json ? (json as { snapshot: unknown }).snapshot : json;
  const { SnapshotSchema } = await import('./domain.ts');
  const parsed = SnapshotSchema.safeParse(candidate);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 10).map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new UsageError(`${target} is not a snapshot:\n${problems.join('\n')}`);
  }
  // A snapshot file is outside text too: its headlines are cleaned as the feed reader does.
  return { ...parsed.data, headlines: parsed.data.headlines.map((h) => ({ ...h, title: cleanTitle(h.title), summary: cleanSummary(h.summary) })) };
}
