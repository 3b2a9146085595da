/**
 * `morning-brief subscribers list|add|remove`: manage who gets the brief from the command
 * line, e.g. subscribe a channel or group by id. A bad argument gets a message saying what
 * is accepted, exit code 2, and nothing changes.
 */
import type { Config } from '../config.ts';
import {
  LANGUAGE_HELP,
  TIME_HELP,
  TIMEZONE_HELP,
  TOPICS_HELP,
  describeZone,
  parseLanguage,
  parseTime,
  parseTimeZone,
  parseTopics,
} from '../delivery/subscriber-settings.ts';
import { redactUrl } from '../errors.ts';
import type { Db } from '../store/db.ts';
import { DISCORD_SUBSCRIBERS, DISCORD_WEBHOOK_SUBSCRIBERS } from './discord.ts';
import { countSubscribers, getSubscriber, listSubscribers, removeSubscriber, upsertSubscriber, type Subscriber } from '../store/subscribers.ts';

/** What the CLI needs to know about a platform's chat ids. Discord adds its own entry. */
export interface SubscriberPlatform {
  name: string;
  kinds: readonly string[];
  /** A normalised chat id and its likely kind, or what is wrong with the input. */
  parseTarget(raw: string): { chatId: string; kind: string } | { error: string };
  example: string;
}

export const TELEGRAM_SUBSCRIBERS: SubscriberPlatform = {
  name: 'telegram',
  kinds: ['private', 'group', 'supergroup', 'channel'],
  example: 'morning-brief subscribers add telegram -1001234567890 --time 07:30 --timezone Europe/Berlin',
  parseTarget(raw) {
    const text = raw.trim();
    if (/^@[A-Za-z][A-Za-z0-9_]{4,31}$/.test(text)) return { chatId: text, kind: 'channel' };
    if (!/^-?\d{1,20}$/.test(text) || /^-?0+$/.test(text)) {
      return { error: `"${raw}" is not a Telegram chat id: use a number (a user id like 123456789, a group id like -123456789, a channel or supergroup id like -1001234567890) or a public channel's @username` };
    }
    return { chatId: text, kind: text.startsWith('-100') ? 'channel' : text.startsWith('-') ? 'group' : 'private' };
  },
};

export const SUBSCRIBER_PLATFORMS: readonly SubscriberPlatform[] = [TELEGRAM_SUBSCRIBERS, DISCORD_SUBSCRIBERS, DISCORD_WEBHOOK_SUBSCRIBERS];

export interface SubscribersCommandDeps {
  db: Db;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  config: Readonly<Config>;
  /** Default SUBSCRIBER_PLATFORMS. */
  platforms?: readonly SubscriberPlatform[];
  now?: () => Date;
}

class Usage extends Error {}

const ADD_USAGE =
  'usage: subscribers add <platform> <chat id> [--topic <forum topic id>] [--time HH:MM] [--timezone Area/City] [--lang xx] [--topics a,b] [--title text] [--kind k]';
const REMOVE_USAGE = 'usage: subscribers remove <platform> <chat id> [--topic <forum topic id>]';
const LIST_USAGE = 'usage: subscribers list [--platform p] [--active | --inactive] [--json]';

/** All three actions, for `subscribers --help`. */
export const SUBSCRIBERS_USAGE = [LIST_USAGE, ADD_USAGE, REMOVE_USAGE].join('\n');

/** --name value / --name=value / bare flags; unknown options are errors. */
function parseOptions(args: string[], valued: readonly string[], flags: readonly string[], usage: string) {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  const seen = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (flags.includes(name)) {
      if (inline !== undefined) throw new Usage(`--${name} takes no value\n${usage}`);
      options[name] = 'true';
    } else if (valued.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new Usage(`--${name} needs a value\n${usage}`);
      options[name] = value;
    } else throw new Usage(`unknown option --${name}\n${usage}`);
    if (seen.has(name)) throw new Usage(`--${name} given twice\n${usage}`);
    seen.add(name);
  }
  return { positional, options };
}

function platformOf(name: string | undefined, platforms: readonly SubscriberPlatform[], usage: string): SubscriberPlatform {
  const known = platforms.map((p) => p.name).join(', ');
  if (!name) throw new Usage(`which platform? (${known})\n${usage}`);
  const platform = platforms.find((p) => p.name === name.toLowerCase());
  if (!platform) throw new Usage(`unknown platform "${name}"; known: ${known}\n${usage}`);
  return platform;
}

function row(s: Subscriber): string[] {
  return [
    String(s.id),
    s.platform,
    // A Discord webhook's chat id is its URL, token included.
    redactUrl(s.chatId) + (s.threadId ? ` topic ${s.threadId}` : ''),
    s.kind,
    s.deliveryTime,
    describeZone(s.timezone),
    s.language,
    s.topics.length ? s.topics.join(',') : 'all',
    s.active ? 'active' : `inactive${s.inactiveReason ? ` (${s.inactiveReason})` : ''}`,
  ];
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

function add(args: string[], deps: SubscribersCommandDeps, platforms: readonly SubscriberPlatform[]): number {
  const { positional, options } = parseOptions(args, ['topic', 'time', 'timezone', 'lang', 'topics', 'title', 'kind'], [], ADD_USAGE);
  const platform = platformOf(positional[0], platforms, ADD_USAGE);
  if (positional.length !== 2) throw new Usage(positional.length < 2 ? `which chat? e.g. ${platform.example}\n${ADD_USAGE}` : `unexpected argument "${positional[2]}"\n${ADD_USAGE}`);
  const target = platform.parseTarget(positional[1]!);
  if ('error' in target) throw new Usage(target.error);
  // Validate everything before changing anything.
  const threadId = forumTopic(options.topic, platform.name);
  const time = options.time === undefined ? undefined : parseTime(options.time);
  if (time === null) throw new Usage(`--time "${options.time}" is not valid: expected ${TIME_HELP}`);
  const timezone = options.timezone === undefined ? undefined : parseTimeZone(options.timezone);
  if (timezone === null) throw new Usage(`--timezone "${options.timezone}" is not valid: expected ${TIMEZONE_HELP}`);
  const language = options.lang === undefined ? undefined : parseLanguage(options.lang);
  if (language === null) throw new Usage(`--lang "${options.lang}" is not valid: expected ${LANGUAGE_HELP}`);
  let topics: string[] | undefined;
  if (options.topics !== undefined) {
    const parsed = parseTopics(options.topics);
    if ('unknown' in parsed) throw new Usage(`--topics: unknown ${parsed.unknown.map((t) => `"${t}"`).join(', ')}; expected ${TOPICS_HELP}`);
    topics = parsed.topics;
  }
  if (options.kind !== undefined && !platform.kinds.includes(options.kind)) {
    throw new Usage(`--kind "${options.kind}" is not a ${platform.name} chat kind; expected one of ${platform.kinds.join(', ')}`);
  }
  const existing = getSubscriber(deps.db, platform.name, target.chatId, threadId);
  const result = upsertSubscriber(
    deps.db,
    {
      platform: platform.name,
      chatId: target.chatId,
      threadId,
      kind: options.kind ?? existing?.kind ?? target.kind,
      ...(options.title !== undefined ? { title: options.title } : {}),
      // A new subscriber starts from the configured defaults; an existing one keeps its settings.
      language: language ?? existing?.language ?? deps.config.language,
      deliveryTime: time ?? existing?.deliveryTime ?? deps.config.delivery.defaultTime,
      timezone: timezone ?? existing?.timezone ?? deps.config.delivery.defaultTimezone,
      ...(topics !== undefined ? { topics } : {}),
    },
    (deps.now ?? (() => new Date()))(),
  );
  const s = result.subscriber;
  const verb = result.created ? 'Subscribed' : result.reactivated ? 'Resubscribed' : 'Updated';
  deps.stdout.write(
    `${verb} ${s.platform} ${s.kind} ${redactUrl(s.chatId)}${s.threadId ? ` topic ${s.threadId}` : ''}: brief at ${s.deliveryTime} ${describeZone(s.timezone)}, language ${s.language}, topics ${s.topics.length ? s.topics.join(', ') : 'all'} (subscriber ${s.id}).\n`,
  );
  return 0;
}

/** `--topic <id>`: a Telegram forum topic's message_thread_id (a positive integer); null when absent. */
function forumTopic(raw: string | undefined, platform: string): number | null {
  if (raw === undefined) return null;
  if (platform !== 'telegram') throw new Usage(`--topic is for Telegram forum topics; ${platform} has none`);
  if (!/^\d{1,12}$/.test(raw) || Number(raw) < 1) throw new Usage(`--topic "${raw}" is not valid: expected the topic's id (message_thread_id), a positive whole number`);
  return Number(raw);
}

function remove(args: string[], deps: SubscribersCommandDeps, platforms: readonly SubscriberPlatform[]): number {
  const { positional, options } = parseOptions(args, ['topic'], [], REMOVE_USAGE);
  const platform = platformOf(positional[0], platforms, REMOVE_USAGE);
  if (positional.length !== 2) throw new Usage(REMOVE_USAGE);
  const target = platform.parseTarget(positional[1]!);
  if ('error' in target) throw new Usage(target.error);
  if (!removeSubscriber(deps.db, platform.name, target.chatId, forumTopic(options.topic, platform.name))) {
    deps.stderr.write(`No ${platform.name} subscriber ${redactUrl(target.chatId)}; nothing changed. \`morning-brief subscribers list\` shows them.\n`);
    return 1;
  }
  deps.stdout.write(`Removed ${platform.name} subscriber ${redactUrl(target.chatId)} and its delivery history.\n`);
  return 0;
}

function list(args: string[], deps: SubscribersCommandDeps, platforms: readonly SubscriberPlatform[]): number {
  const { positional, options } = parseOptions(args, ['platform'], ['active', 'inactive', 'json'], LIST_USAGE);
  if (positional.length > 0) throw new Usage(`unexpected argument "${positional[0]}"\n${LIST_USAGE}`);
  if (options.active && options.inactive) throw new Usage(`--active and --inactive exclude each other\n${LIST_USAGE}`);
  const platform = options.platform ? platformOf(options.platform, platforms, LIST_USAGE).name : undefined;
  const subs = listSubscribers(deps.db, {
    ...(platform ? { platform } : {}),
    ...(options.active ? { active: true } : options.inactive ? { active: false } : {}),
  });
  if (options.json) {
    deps.stdout.write(`${JSON.stringify(subs.map((s) => ({ ...s, chatId: redactUrl(s.chatId) })), null, 2)}\n`);
    return 0;
  }
  if (subs.length === 0) {
    deps.stdout.write(`No subscribers${platform ? ` on ${platform}` : ''} yet. Add one: ${TELEGRAM_SUBSCRIBERS.example}\n`);
    return 0;
  }
  const header = ['id', 'platform', 'chat', 'kind', 'time', 'zone', 'lang', 'topics', 'status'];
  const counts = countSubscribers(deps.db, platform);
  deps.stdout.write(`${table([header, ...subs.map(row)])}\n\n${counts.active} active, ${counts.inactive} inactive.\n`);
  return 0;
}

/** The action's usage when its arguments ask for help (`subscribers add --help`), else null. */
export function subscribersHelp(action: 'list' | 'add' | 'remove', args: readonly string[]): string | null {
  return args.includes('--help') || args.includes('-h') ? { add: ADD_USAGE, remove: REMOVE_USAGE, list: LIST_USAGE }[action] : null;
}

/**
 * @returns 0 on success, 1 when `remove` finds nothing, 2 for a bad argument (nothing changed).
 * @example runSubscribersCommand('add', ['telegram', '-1001234567890', '--time', '08:00'], { db, stdout, stderr, config })
 */
export function runSubscribersCommand(action: 'list' | 'add' | 'remove', args: string[], deps: SubscribersCommandDeps): number {
  const platforms = deps.platforms ?? SUBSCRIBER_PLATFORMS;
  // `subscribers add --help`: the usage on stdout, nothing changed.
  const help = subscribersHelp(action, args);
  if (help) {
    deps.stdout.write(`${help}\n`);
    return 0;
  }
  try {
    switch (action) {
      case 'add':
        return add(args, deps, platforms);
      case 'remove':
        return remove(args, deps, platforms);
      case 'list':
        return list(args, deps, platforms);
    }
  } catch (err) {
    if (err instanceof Usage) {
      deps.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
