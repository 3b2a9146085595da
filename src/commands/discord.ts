/**
 * `morning-brief discord register [--guild <id>]`: registers the slash commands with one bulk
 * overwrite (PUT), for one server (appears at once; for testing) or globally (for release).
 */
import { DiscordAPIError, REST } from '@discordjs/rest';
import { Routes } from 'discord.js';
import { discordCommands } from '../bots/discord/commands.ts';
import type { Config } from '../config.ts';
import { isDiscordSnowflake } from '../delivery/discord.ts';
import { isDiscordWebhookUrl } from '../delivery/discord-webhook.ts';
import { describeError, redactUrl } from '../errors.ts';

/**
 * `subscribers add discord <channel id>`: a channel the bot posts in (the bot must be in the
 * server with View Channel, Send Messages and Embed Links there).
 * Shaped like `SubscriberPlatform` in ./subscribers.ts.
 */
export const DISCORD_SUBSCRIBERS = {
  name: 'discord',
  // 'announcement': posts there are published to following servers (src/announce/).
  kinds: ['channel', 'announcement'] as const,
  example: 'morning-brief subscribers add discord 123456789012345678 --time 07:30 --timezone Europe/Berlin',
  parseTarget(raw: string): { chatId: string; kind: string } | { error: string } {
    const text = raw.trim();
    if (!isDiscordSnowflake(text)) {
      return { error: `"${raw}" is not a Discord channel id: use the 17-20 digit id (Developer Mode on, right-click the channel, Copy Channel ID)` };
    }
    return { chatId: text, kind: 'channel' };
  },
};

/**
 * `subscribers add discord-webhook <url>`: a channel webhook URL, taken as given. It holds
 * the webhook's token, so messages show it redacted.
 */
export const DISCORD_WEBHOOK_SUBSCRIBERS = {
  name: 'discord-webhook',
  kinds: ['webhook'] as const,
  example: 'morning-brief subscribers add discord-webhook https://discord.com/api/webhooks/<id>/<token>',
  parseTarget(raw: string): { chatId: string; kind: string } | { error: string } {
    const text = raw.trim();
    if (!isDiscordWebhookUrl(text)) {
      return { error: `"${redactUrl(raw)}" is not a Discord webhook URL: copy it from Channel settings > Integrations > Webhooks (https://discord.com/api/webhooks/<id>/<token>)` };
    }
    return { chatId: text, kind: 'webhook' };
  },
};

export interface DiscordRegisterDeps {
  config: Readonly<Pick<Config, 'discord'>>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** A ready REST client (tests); otherwise one is built from the config. */
  rest?: REST;
}

const SNOWFLAKE = /^\d{17,20}$/;

/**
 * @example const code = await runDiscordRegister({ guild: '123456789012345678' }, { config, stdout, stderr });
 */
export async function runDiscordRegister(opts: { guild?: string }, deps: DiscordRegisterDeps): Promise<number> {
  const { botToken, applicationId, apiRoot } = deps.config.discord;
  const problems: string[] = [];
  if (!botToken && !deps.rest) problems.push('DISCORD_BOT_TOKEN is not set');
  if (!applicationId) problems.push('DISCORD_APPLICATION_ID is not set (Developer Portal > your app > General Information)');
  else if (!SNOWFLAKE.test(applicationId)) problems.push(`DISCORD_APPLICATION_ID "${applicationId}" is not a Discord id (17-20 digits)`);
  if (opts.guild !== undefined && !SNOWFLAKE.test(opts.guild)) problems.push(`--guild "${opts.guild}" is not a server id (17-20 digits)`);
  if (problems.length > 0) {
    deps.stderr.write(`Cannot register Discord commands:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 2;
  }
  const rest = deps.rest ?? new REST({ version: '10', api: apiRoot, retries: 1 }).setToken(botToken!);
  const route = opts.guild ? Routes.applicationGuildCommands(applicationId!, opts.guild) : Routes.applicationCommands(applicationId!);
  const body = discordCommands();
  try {
    const result = (await rest.put(route, { body })) as unknown;
    const count = Array.isArray(result) ? result.length : body.length;
    const names = body.map((c) => `/${c.name}`).join(', ');
    deps.stdout.write(
      opts.guild
        ? `Registered ${count} commands in server ${opts.guild} (available now): ${names}\n`
        : `Registered ${count} global commands: ${names}\n`,
    );
    return 0;
  } catch (err) {
    const hint =
      err instanceof DiscordAPIError && err.status === 401
        ? ' (check DISCORD_BOT_TOKEN)'
        : err instanceof DiscordAPIError && err.status === 403
          ? ' (is the bot in that server, and is DISCORD_APPLICATION_ID its application?)'
          : '';
    deps.stderr.write(`Discord refused the command registration: ${describeError(err)}${hint}\n`);
    return 1;
  } finally {
    if (!deps.rest) {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    }
  }
}
