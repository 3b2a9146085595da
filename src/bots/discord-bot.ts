/**
 * The Discord bot: a discord.js 14 gateway client (intent Guilds only: slash commands need
 * nothing more) that hands each slash command to the handlers in ./discord/handlers.ts.
 * Delivery does not go through here: it is REST only (src/delivery/discord.ts).
 */
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { Config } from '../config.ts';
import { describeError } from '../errors.ts';
import { handleInteraction, type DiscordHandlerDeps } from './discord/handlers.ts';

export { discordCommands } from './discord/commands.ts';
export { handleInteraction, handleBroadcast, handleBrief, handleSettings, handleSubscribe, handleUnsubscribe, DISCORD_PLATFORM } from './discord/handlers.ts';
export type { DiscordHandlerDeps } from './discord/handlers.ts';
export type { SlashInteraction } from './discord/interaction.ts';

export interface DiscordBotDeps extends DiscordHandlerDeps {
  config: Readonly<Pick<Config, 'language' | 'delivery' | 'discord'>>;
}

export interface DiscordBot {
  readonly client: Client;
  /** Logs in and connects to the gateway; resolves once logged in. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * @example
 * const bot = createDiscordBot({ db, config, getLatestBrief, now: () => new Date(), log });
 * await bot.start(); // ... later: await bot.stop();
 */
export function createDiscordBot(deps: DiscordBotDeps): DiscordBot {
  const token = deps.config.discord.botToken;
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: deps.config.discord.apiRoot } });
  client.on(Events.InteractionCreate, (interaction) => {
    if (interaction.isChatInputCommand()) void handleInteraction(interaction, deps);
  });
  client.once(Events.ClientReady, (ready) => {
    deps.log?.info({ user: ready.user.tag, guilds: ready.guilds.cache.size }, 'discord bot ready');
  });
  client.on(Events.Error, (err) => deps.log?.error({ err: describeError(err) }, 'discord client error'));
  return {
    client,
    async start() {
      if (!token) throw new Error('DISCORD_BOT_TOKEN is not set');
      try {
        await client.login(token);
      } catch (err) {
        // Leave the client clean for the next attempt (serve retries a failed start).
        await client.destroy().catch(() => undefined);
        throw err;
      }
    },
    async stop() {
      await client.destroy();
    },
  };
}
