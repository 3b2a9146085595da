/** The operator's view of pino's JSON lines: "07:30:00.120 INFO  scheduler started  next=07:30 UTC". */
import type { DestinationStream } from 'pino';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every line has; the pretty line shows them in its own way or not at all. */
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'app']);

const PLAIN = /^[\w.:/@+-]+$/;

function show(value: unknown): string {
  if (typeof value === 'string') return PLAIN.test(value) ? value : JSON.stringify(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' && PLAIN.test(v))) return value.length > 0 ? value.join(',') : '-';
  if (value !== null && typeof value === 'object' && 'message' in value) return JSON.stringify((value as { message: unknown }).message);
  return JSON.stringify(value);
}

/** key=value pairs; an object one level down becomes key.sub=value (err stays one message). */
function pairs(key: string, value: unknown): string[] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !('message' in value)) {
    return Object.entries(value).map(([sub, v]) => `${key}.${sub}=${show(v)}`);
  }
  return [`${key}=${show(value)}`];
}

/** One JSON log line as a readable line; a line that is not JSON passes through as it is. */
export function prettyLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) : '';
  const level = (LEVELS[entry.level as number] ?? String(entry.level)).padEnd(5);
  const fields = Object.entries(entry)
    .filter(([key]) => !HIDDEN.has(key))
    .flatMap(([key, value]) => pairs(key, value));
  return `${[time, level, typeof entry.msg === 'string' ? entry.msg : ''].filter(Boolean).join(' ')}${fields.length > 0 ? `  ${fields.join(' ')}` : ''}\n`;
}

/** Writes each line pretty to `out` (pino hands a destination one whole line per write). */
export function prettyDestination(out: DestinationStream): DestinationStream {
  return { write: (line: string) => out.write(prettyLine(line)) };
}
