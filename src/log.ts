/** Structured logs (pino) to stderr, with secrets redacted from fields and messages. */
import pino, { type Logger } from 'pino';
import { redactUrl } from './errors.ts';
import { prettyDestination } from './log-pretty.ts';

export type { Logger };

/** json: one JSON object a line; pretty: "07:30:00.120 INFO  message key=value"; auto: pretty on a terminal. */
export type LogFormat = 'auto' | 'pretty' | 'json';

const SECRET_PATHS = [
  'token', 'apiKey', 'botToken', 'authorization', 'password', 'secret',
  '*.token', '*.apiKey', '*.botToken', '*.authorization', '*.webhookSecret', '*.triggerToken',
  'config.llm.apiKey', 'config.telegram.botToken', 'config.discord.botToken', 'config.server.triggerToken',
  'req.headers.authorization',
];

/**
 * @example const log = createLogger('info'); log.info({ runId }, 'brief stored');
 * @example createLogger('info', undefined, { format: 'pretty' })
 */
export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  options: { format?: LogFormat; isTTY?: boolean } = {},
): Logger {
  const format = options.format ?? 'auto';
  // auto: pretty only when writing to stderr and stderr is a terminal; JSON into files, pipes, tests.
  const onTerminal = options.isTTY ?? (destination === undefined && Boolean(process.stderr.isTTY));
  const pretty = format === 'pretty' || (format === 'auto' && onTerminal);
  const out = destination ?? pino.destination(2);
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
    pretty ? prettyDestination(out) : out,
  );
}

/** A logger that drops everything (tests, --quiet). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
