/** The bot's slash commands as JSON for a bulk overwrite (`PUT .../commands`). */
import { InteractionContextType, SlashCommandBuilder, type RESTPutAPIApplicationCommandsJSONBody } from 'discord.js';

type OptionTarget = {
  addStringOption: SlashCommandBuilder['addStringOption'];
};

function settingsOptions<T extends OptionTarget>(builder: T): T {
  builder
    .addStringOption((o) => o.setName('time').setDescription('Local delivery time, 24-hour HH:MM (e.g. 07:30)').setMinLength(3).setMaxLength(5))
    .addStringOption((o) => o.setName('timezone').setDescription('Time zone like Europe/Berlin or America/New_York, or UTC+3').setMaxLength(64))
    .addStringOption((o) => o.setName('language').setDescription('Language code of the brief, e.g. en, de, zh').setMaxLength(10));
  return builder;
}

/**
 * @example await rest.put(Routes.applicationCommands(appId), { body: discordCommands() });
 */
export function discordCommands(): RESTPutAPIApplicationCommandsJSONBody {
  const brief = new SlashCommandBuilder()
    .setName('brief')
    .setDescription("Today's morning brief (only you see it unless public is set)")
    .addBooleanOption((o) => o.setName('public').setDescription('Post it for everyone in the channel'));
  const subscribe = settingsOptions(
    new SlashCommandBuilder()
      .setName('subscribe')
      .setDescription('Get the morning brief in this channel every day (needs Manage Channels)')
      .setContexts(InteractionContextType.Guild),
  );
  const unsubscribe = new SlashCommandBuilder()
    .setName('unsubscribe')
    .setDescription('Stop the morning brief in this channel (needs Manage Channels)')
    .setContexts(InteractionContextType.Guild);
  const settings = settingsOptions(
    new SlashCommandBuilder()
      .setName('settings')
      .setDescription("Show or change this channel's delivery time, time zone, language and market card")
      .setContexts(InteractionContextType.Guild),
  ).addBooleanOption((o) => o.setName('card').setDescription('The market card picture with each brief (false: the brief alone)'));
  // Shown to everyone (operators need not be server admins); the handler checks discord.adminIds.
  const broadcast = new SlashCommandBuilder()
    .setName('broadcast')
    .setDescription('Operators: write a fresh brief now and send it to every subscriber');
  return [brief, subscribe, unsubscribe, settings, broadcast].map((b) => b.toJSON());
}
