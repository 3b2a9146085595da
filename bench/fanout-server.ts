/**
 * The fake Telegram Bot API for the fan-out benchmark, in its own process so the broadcaster's
 * SQLite commits and the server's bookkeeping do not share one event loop. Talks over IPC:
 * sends { url, token } when listening; answers 'report' with what it accepted; exits on 'close'.
 */
import { startFakeTelegram } from '../test/fakes/telegram-server.ts';

const tg = await startFakeTelegram({
  globalPerSecond: Number(process.env.FANOUT_LIMIT ?? 300),
  latencyMs: Number(process.env.FANOUT_LATENCY_MS ?? 20),
});

export interface FanoutServerReport {
  stats: typeof tg.stats;
  /** Accepted messages per chat id. */
  perChat: Record<string, number>;
  firstAt: number | null;
  lastAt: number | null;
  /** Most messages accepted in any rolling second. */
  maxPerSecond: number;
}

process.send!({ url: tg.url, token: tg.token });
process.on('message', (msg: unknown) => {
  if (msg === 'report') {
    const perChat: Record<string, number> = {};
    for (const m of tg.messages) perChat[m.chatId] = (perChat[m.chatId] ?? 0) + 1;
    let maxPerSecond = 0;
    for (let i = 0, j = 0; i < tg.messages.length; i++) {
      while (tg.messages[i]!.at - tg.messages[j]!.at >= 1000) j++;
      maxPerSecond = Math.max(maxPerSecond, i - j + 1);
    }
    const report: FanoutServerReport = {
      maxPerSecond,
      stats: tg.stats,
      perChat,
      firstAt: tg.messages[0]?.at ?? null,
      lastAt: tg.messages[tg.messages.length - 1]?.at ?? null,
    };
    process.send!(report);
  } else if (msg === 'close') {
    void tg.close().then(() => process.exit(0));
  }
});
