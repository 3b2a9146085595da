/**
 * What each slash command does, over the small `SlashInteraction` interface so tests drive
 * them with recorded interaction payloads. Subscribing and changing settings need Manage
 * Channels or Manage Server; a bad argument or a channel the bot cannot post in gets a
 * reply that says how to fix it, and nothing changes.
 */
import { MessageFlags, PermissionFlagsBits } from 'discord.js';
import type { Config } from '../../config.ts';
import type { Brief } from '../../domain.ts';
import { describeError, redactUrl } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { renderDiscord, safeMarkdown, truncate } from '../../render/discord-embed.ts';
import { addDays, localDate, localTimeToInstant, parseTime, parseTimeZone } from '../../schedule/local-time.ts';
import type { Db } from '../../store/db.ts';
import { wasDelivered } from '../../store/deliveries.ts';
import { nextBriefAt } from '../../delivery/subscriber-settings.ts';
import { parseLanguage } from '../../util/language.ts';
import { getSubscriber, setActive, updateSettings, upsertSubscriber, type Subscriber } from '../../store/subscribers.ts';
import type { PermissionSet, ReplyBody, SlashInteraction } from './interaction.ts';

/** The `subscribers.platform` of channels the bot posts in. */
export const DISCORD_PLATFORM = 'discord';

export interface DiscordHandlerDeps {
  db: Db;
  /** `discord.adminIds`: who may run /broadcast (none when absent). */
  config: Readonly<Pick<Config, 'language' | 'delivery'> & { discord?: Readonly<Pick<Config['discord'], 'adminIds'>> }>;
  /** The latest brief in a language, or null; may take a while (it may be written on demand). */
  getLatestBrief: (language: string) => Promise<Brief | null>;
  now: () => Date;
  log?: Logger;
  /** How long /brief waits for a brief before saying so (default 60 s; the token lasts 15 min). */
  briefTimeoutMs?: number;
  /**
   * /broadcast: writes a fresh brief, delivers it to every active subscriber and resolves
   * with a one-line report (`serve` passes the same path as POST /trigger). Absent: off.
   */
  broadcastNow?: () => Promise<string>;
}

const EPHEMERAL = MessageFlags.Ephemeral as number;
const NO_PINGS = { parse: [] as [] };

/** What the bot needs in a channel to deliver there. */
export const REQUIRED_BOT_PERMISSIONS: readonly [bigint, string][] = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
];

function ephemeral(content: string): ReplyBody {
  return { content, flags: EPHEMERAL, allowedMentions: NO_PINGS };
}

function canManage(perms: PermissionSet | null): boolean {
  return !!perms && (perms.has(PermissionFlagsBits.ManageChannels) || perms.has(PermissionFlagsBits.ManageGuild));
}

/** Names of the permissions the bot lacks in this channel (empty: it can post). */
export function missingBotPermissions(perms: PermissionSet | null): string[] {
  if (!perms) return REQUIRED_BOT_PERMISSIONS.map(([, name]) => name);
  return REQUIRED_BOT_PERMISSIONS.filter(([bit]) => !perms.has(bit)).map(([, name]) => name);
}

/** Discord renders `<t:...>` in each reader's own time zone. */
function discordTime(at: Date): string {
  const unix = Math.floor(at.getTime() / 1000);
  return `<t:${unix}:f> (<t:${unix}:R>)`;
}

/** The next instant local `time` happens in `timezone`, after `now`. */
export function nextDelivery(now: Date, time: string, timezone: string): Date {
  const today = localDate(now, timezone);
  const at = localTimeToInstant(today, time, timezone);
  return at.getTime() > now.getTime() ? at : localTimeToInstant(addDays(today, 1), time, timezone);
}


type Settings = { deliveryTime?: string; timezone?: string; language?: string; card?: boolean };

/** Reads time/timezone/language options; an error message names the bad one and the accepted form. */
function readSettings(i: SlashInteraction): { ok: true; settings: Settings } | { ok: false; message: string } {
  const settings: Settings = {};
  const time = i.options.getString('time');
  if (time !== null) {
    const parsed = parseTime(time);
    if (!parsed) {
      return { ok: false, message: `"${clip(time)}" is not a time I understand. Use 24-hour HH:MM, e.g. 07:30 or 18:05. Nothing was changed.` };
    }
    settings.deliveryTime = parsed;
  }
  const zone = i.options.getString('timezone');
  if (zone !== null) {
    const parsed = parseTimeZone(zone);
    if (!parsed) {
      return {
        ok: false,
        message: `"${clip(zone)}" is not a time zone I know. Use a name like Europe/Berlin, America/New_York or Asia/Singapore, or a whole-hour offset like UTC+3. Nothing was changed.`,
      };
    }
    settings.timezone = parsed;
  }
  const language = i.options.getString('language');
  if (language !== null) {
    // The same check as BRIEF_LANGUAGE, every --lang and Telegram's /lang.
    const code = parseLanguage(language);
    if (code === null) {
      return { ok: false, message: `"${clip(language)}" is not a language code. Use a short code like en, de, es or zh. Nothing was changed.` };
    }
    settings.language = code;
  }
  // /settings card:false: the brief without the market card (Telegram's /card off).
  const card = i.options.getBoolean('card');
  if (card !== null) settings.card = card;
  return { ok: true, settings };
}

/** User input echoed back: short, and unable to ping or format. */
function clip(text: string): string {
  return safeMarkdown(truncate(text.trim(), 40));
}

function describeSchedule(deps: DiscordHandlerDeps, sub: Subscriber): string {
  const now = deps.now();
  // What the scheduler will do: a passed time within the grace window is caught up now; a day already delivered is not sent again.
  const next = nextBriefAt(sub.deliveryTime, sub.timezone, now, { graceHours: deps.config.delivery.graceHours, wasDelivered: (date) => wasDelivered(deps.db, sub.id, date) });
  return `every day at ${sub.deliveryTime} (${sub.timezone}), in language "${sub.language}"${sub.card === false ? ', without the market card' : ''}. Next: ${next <= now ? 'within a minute (today’s has not been sent yet)' : discordTime(next)}`;
}

function activeSubscription(deps: DiscordHandlerDeps, channelId: string): Subscriber | null {
  const sub = getSubscriber(deps.db, DISCORD_PLATFORM, channelId);
  return sub?.active ? sub : null;
}

/** The checks every settings-changing command shares; a reply body when the user must be refused. */
function refuseChange(i: SlashInteraction, what: string): ReplyBody | null {
  if (!i.guildId || !i.channelId) return ephemeral(`${what} works in a server channel: run it in the channel that should get the brief.`);
  if (!canManage(i.memberPermissions)) {
    return ephemeral(
      `Only members with the Manage Channels (or Manage Server) permission can use ${what}. Ask a moderator, or use /brief to read today's brief yourself.`,
    );
  }
  return null;
}

/**
 * /subscribe [time] [timezone] [language] in the current channel.
 * @example await handleSubscribe(interaction, deps)
 */
export async function handleSubscribe(i: SlashInteraction, deps: DiscordHandlerDeps): Promise<void> {
  const refused = refuseChange(i, '/subscribe');
  if (refused) return void (await i.reply(refused));
  const channelId = i.channelId!;
  const read = readSettings(i);
  if (!read.ok) return void (await i.reply(ephemeral(read.message)));
  const missing = missingBotPermissions(i.appPermissions);
  if (missing.length > 0) {
    return void (await i.reply(
      ephemeral(
        `I can't post in <#${channelId}>: I'm missing ${missing.join(', ')}. Give me ${missing.length > 1 ? 'those permissions' : 'that permission'} in this channel's settings, then run /subscribe again. Nothing was changed.`,
      ),
    ));
  }
  const existing = getSubscriber(deps.db, DISCORD_PLATFORM, channelId);
  // Type 5 (GuildAnnouncement): each brief is published after it is posted (src/announce/).
  const announcement = i.channel?.type === 5;
  const { subscriber, created, reactivated } = upsertSubscriber(
    deps.db,
    {
      platform: DISCORD_PLATFORM,
      chatId: channelId,
      kind: announcement ? 'announcement' : 'channel',
      title: `guild ${i.guildId}`,
      // A first subscription takes the configured defaults; a repeat keeps what was set.
      language: read.settings.language ?? existing?.language ?? deps.config.language,
      deliveryTime: read.settings.deliveryTime ?? existing?.deliveryTime ?? deps.config.delivery.defaultTime,
      timezone: read.settings.timezone ?? existing?.timezone ?? deps.config.delivery.defaultTimezone,
    },
    deps.now(),
  );
  deps.log?.info({ channel: channelId, guild: i.guildId, created, reactivated }, 'discord channel subscribed');
  const lead = created || reactivated ? `<#${channelId}> now gets the morning brief` : `<#${channelId}> was already subscribed; it gets the brief`;
  await i.reply({
    content: `${lead} ${describeSchedule(deps, subscriber)}. Change it with /settings, stop it with /unsubscribe.${
      announcement
        ? ' This is an announcement channel: each brief is also published, so servers that follow it get it too (Discord allows 10 publishes an hour per channel).'
        : ''
    }`,
    allowedMentions: NO_PINGS,
  });
}

/** /unsubscribe: stops deliveries to this channel (history is kept; /subscribe resumes). */
export async function handleUnsubscribe(i: SlashInteraction, deps: DiscordHandlerDeps): Promise<void> {
  const refused = refuseChange(i, '/unsubscribe');
  if (refused) return void (await i.reply(refused));
  const sub = activeSubscription(deps, i.channelId!);
  if (!sub) return void (await i.reply(ephemeral('This channel is not subscribed, so there is nothing to stop.')));
  setActive(deps.db, sub.id, false, 'unsubscribed with /unsubscribe', deps.now());
  deps.log?.info({ channel: i.channelId, guild: i.guildId }, 'discord channel unsubscribed');
  await i.reply({ content: `<#${i.channelId}> no longer gets the morning brief. /subscribe brings it back.`, allowedMentions: NO_PINGS });
}

/** /settings: shows this channel's settings; with options, changes them (needs Manage Channels). */
export async function handleSettings(i: SlashInteraction, deps: DiscordHandlerDeps): Promise<void> {
  const wantsChange = ['time', 'timezone', 'language'].some((name) => i.options.getString(name) !== null) || i.options.getBoolean('card') !== null;
  if (!wantsChange) {
    if (!i.channelId || !i.guildId) return void (await i.reply(ephemeral('/settings works in a server channel.')));
    const sub = activeSubscription(deps, i.channelId);
    const text = sub
      ? `<#${i.channelId}> gets the brief ${describeSchedule(deps, sub)}.`
      : 'This channel is not subscribed. A moderator can run /subscribe here to get the brief every morning.';
    return void (await i.reply(ephemeral(text)));
  }
  const refused = refuseChange(i, '/settings');
  if (refused) return void (await i.reply(refused));
  const read = readSettings(i);
  if (!read.ok) return void (await i.reply(ephemeral(read.message)));
  const sub = activeSubscription(deps, i.channelId!);
  if (!sub) return void (await i.reply(ephemeral('This channel is not subscribed yet: run /subscribe with these options instead.')));
  const updated = updateSettings(deps.db, sub.id, read.settings, deps.now())!;
  await i.reply(ephemeral(`Saved. <#${i.channelId}> gets the brief ${describeSchedule(deps, updated)}.`));
}

class BriefTimeout extends Error {
  override name = 'BriefTimeout';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BriefTimeout(`no brief within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** /brief [public]: today's brief, only for the user unless `public` is true. */
export async function handleBrief(i: SlashInteraction, deps: DiscordHandlerDeps): Promise<void> {
  const isPublic = i.options.getBoolean('public') === true;
  const flags = isPublic ? 0 : EPHEMERAL;
  // Fetching (or writing) the brief can pass Discord's 3-second reply deadline.
  await i.deferReply({ flags });
  const language = (i.channelId && activeSubscription(deps, i.channelId)?.language) || deps.config.language;
  let brief: Brief | null;
  try {
    brief = await withTimeout(deps.getLatestBrief(language), deps.briefTimeoutMs ?? 60_000);
  } catch (err) {
    deps.log?.warn({ err: describeError(err) }, 'discord /brief: no brief');
    const text =
      err instanceof BriefTimeout
        ? 'The brief is still being written. Try /brief again in a minute.'
        : 'I could not get the brief just now. Try /brief again in a minute.';
    return void (await i.editReply({ content: text, allowedMentions: NO_PINGS }));
  }
  if (!brief) {
    return void (await i.editReply({ content: 'There is no brief yet today. Try again after the morning edition.', allowedMentions: NO_PINGS }));
  }
  const [first, ...rest] = renderDiscord(brief);
  await i.editReply({ embeds: first!.embeds, allowedMentions: NO_PINGS });
  for (const more of rest) {
    if (!i.followUp) break;
    await i.followUp({ embeds: more.embeds, flags, allowedMentions: NO_PINGS });
  }
}

/** Error text for a user: short, one line, URL secrets (bot and webhook tokens) redacted. */
function userFacingError(err: unknown): string {
  return truncate(redactUrl(describeError(err)).replace(/\s+/g, ' '), 300);
}

/**
 * /broadcast (operators in `discord.adminIds` only): a fresh brief to every subscriber now,
 * answered privately with the result. Everyone else gets a refusal and nothing is sent.
 * @example await handleBroadcast(interaction, { ...deps, broadcastNow: async () => 'Brief #12 to 340 subscribers: 340 sent.' })
 */
export async function handleBroadcast(i: SlashInteraction, deps: DiscordHandlerDeps): Promise<void> {
  const admins = deps.config.discord?.adminIds ?? [];
  const userId = i.user?.id ?? null;
  if (userId === null || !admins.includes(userId)) {
    return void (await i.reply(ephemeral('Only the operators of this bot can use /broadcast. Use /brief to read today\'s brief yourself.')));
  }
  if (!deps.broadcastNow) return void (await i.reply(ephemeral('Broadcasting is not available in this process.')));
  // Writing and delivering the brief takes far longer than the 3-second reply deadline.
  await i.deferReply({ flags: EPHEMERAL });
  deps.log?.info({ user: userId }, 'discord /broadcast requested');
  let text: string;
  try {
    text = await deps.broadcastNow();
  } catch (err) {
    deps.log?.error({ err: describeError(err) }, 'discord /broadcast failed');
    text = `Broadcast failed: ${userFacingError(err)}`;
  }
  await i.editReply({ content: truncate(text, 2000), allowedMentions: NO_PINGS });
}

const HANDLERS: Record<string, (i: SlashInteraction, deps: DiscordHandlerDeps) => Promise<void>> = {
  broadcast: handleBroadcast,
  brief: handleBrief,
  subscribe: handleSubscribe,
  unsubscribe: handleUnsubscribe,
  settings: handleSettings,
};

/**
 * Runs the command's handler; an unexpected error becomes an apology to the user and a log
 * line, never an unhandled rejection.
 * @example client.on(Events.InteractionCreate, (i) => i.isChatInputCommand() && void handleInteraction(i, deps));
 */
export async function handleInteraction(i: SlashInteraction, deps: DiscordHandlerDeps): Promise<void> {
  const handler = HANDLERS[i.commandName];
  try {
    if (!handler) return void (await i.reply(ephemeral(`I don't know /${clip(i.commandName)}. Try /brief or /subscribe.`)));
    await handler(i, deps);
  } catch (err) {
    deps.log?.error({ err: describeError(err), command: i.commandName }, 'discord command failed');
    const sorry = 'Something went wrong on my side. Please try again in a minute.';
    try {
      if (i.deferred) await i.editReply({ content: sorry, allowedMentions: NO_PINGS });
      else if (!i.replied) await i.reply(ephemeral(sorry));
    } catch {
      // The interaction expired or Discord is unreachable; the log line is all we can do.
    }
  }
}
