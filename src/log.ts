/** Structured logs (pino) to stderr, with secrets redacted from fields and messages. */
import pino, { type Logger } from 'pino';
import { redactUrl } from './errors.ts';

export type { Logger };

const SECRET_PATHS = [
  'token', 'apiKey', 'botToken', 'authorization', 'password', 'secret',
  '*.token', '*.apiKey', '*.botToken', '*.authorization', '*.webhookSecret', '*.triggerToken',
  'config.llm.apiKey', 'config.telegram.botToken', 'config.discord.botToken', 'config.server.triggerToken',
  'req.headers.authorization',
];

/**
 * @example const log = createLogger('info'); log.info({ runId }, 'brief stored');
 */
export function createLogger(level: string, destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: { app: 'morning-brief' },
      redact: { paths: SECRET_PATHS, censor: '<redacted>' },
      hooks: {
        // Telegram and Discord webhook URLs carry tokens; they must not reach a log line.
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? redactUrl(a) : a)) as Parameters<typeof method>);
        },
      },
      formatters: {
        log(object) {
          const err = object.err;
          if (err instanceof Error) return { ...object, err: { type: err.name, message: redactUrl(err.message) } };
          return object;
        },
      },
    },
    destination,
  );
}

/** A logger that drops everything (tests, --quiet). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
