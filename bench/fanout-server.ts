/**
 * Runs one strict fake platform (Telegram or Discord) for the fan-out bench in its own process,
 * so the broadcaster's SQLite commits and the server's bookkeeping do not share an event loop
 * or skew each other's clocks. Configured by FANOUT_SERVER (JSON); talks over IPC: sends
 * { url, token } when listening, answers 'report' with its report (plus its own CPU time), exits
 * on 'close'.
 */
import { startStrictDiscord, type StrictDiscordOptions } from './fakes/strict-discord.ts';
import { startStrictTelegram, type StrictTelegramOptions } from './fakes/strict-telegram.ts';

export type FanoutServerConfig =
  | ({ kind: 'telegram' } & Omit<StrictTelegramOptions, 'blocked' | 'missing'> & { blocked: string[]; missing: string[] })
  | ({ kind: 'discord' } & Omit<StrictDiscordOptions, 'forbidden' | 'unknown'> & { forbidden: string[]; unknown: string[] });

const config = JSON.parse(process.env.FANOUT_SERVER ?? '{}') as FanoutServerConfig;
const server =
  config.kind === 'telegram'
    ? await startStrictTelegram({ ...config, blocked: new Set(config.blocked), missing: new Set(config.missing) })
    : await startStrictDiscord({ ...config, forbidden: new Set(config.forbidden), unknown: new Set(config.unknown) });

process.send!({ url: server.url });
process.on('message', (msg: unknown) => {
  if (msg === 'report') {
    const cpu = process.cpuUsage();
    process.send!({ ...server.report(), cpuMs: (cpu.user + cpu.system) / 1000 });
  } else if (msg === 'close') {
    void server.close().then(() => process.exit(0));
  }
});
