/**
 * The small slice of a discord.js slash-command interaction the handlers use. A real
 * `ChatInputCommandInteraction` fits it as is; tests build one from a recorded payload.
 */
import type { APIEmbed } from 'discord.js';

/** A permission bit set (discord.js `PermissionsBitField`); `has` counts Administrator as all. */
export interface PermissionSet {
  has(permission: bigint): boolean;
}

export interface ReplyBody {
  content?: string;
  embeds?: APIEmbed[];
  /** MessageFlags.Ephemeral (64): only the user who ran the command sees it. */
  flags?: number;
  allowedMentions?: { parse: [] };
}

export type EditBody = Omit<ReplyBody, 'flags'>;

export interface SlashInteraction {
  commandName: string;
  options: {
    getString(name: string): string | null;
    getBoolean(name: string): boolean | null;
  };
  /** The member's permissions in this channel; null outside a server. */
  memberPermissions: PermissionSet | null;
  /** The bot's own permissions in this channel (`app_permissions`). */
  appPermissions: PermissionSet | null;
  channelId: string | null;
  /** The channel, where Discord sent it: type 5 is an announcement channel (discord.js fills it). */
  channel?: { type: number } | null;
  guildId: string | null;
  /** Who ran the command (discord.js sets it for every interaction). */
  user?: { id: string } | null;
  /** Answers within 3 s; exactly one of reply / deferReply. */
  reply(body: ReplyBody): Promise<unknown>;
  /** Buys 15 minutes; the ephemeral flag is decided here. */
  deferReply(body: { flags?: number }): Promise<unknown>;
  editReply(body: EditBody): Promise<unknown>;
  followUp?(body: ReplyBody): Promise<unknown>;
  /** Whether reply or deferReply already happened (discord.js sets these). */
  replied?: boolean;
  deferred?: boolean;
}
