/** Reads "/cmd@bot_name args" from a message or channel post text. */

export interface ParsedCommand {
  name: string;
  args: string;
}

/**
 * @returns null for text that is not a command, or a command addressed to another bot.
 * @example parseCommand('/time@morning_brief_bot 07:30', 'morning_brief_bot') // { name: 'time', args: '07:30' }
 */
export function parseCommand(text: string, botUsername: string | undefined): ParsedCommand | null {
  const m = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!m) return null;
  if (m[2] && botUsername && m[2].toLowerCase() !== botUsername.toLowerCase()) return null;
  return { name: m[1]!.toLowerCase(), args: (m[3] ?? '').trim() };
}
