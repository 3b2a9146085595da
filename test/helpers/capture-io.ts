/** stdout/stderr streams for a command under test, with what was written to each. */
import { PassThrough } from 'node:stream';

export function captureIo() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const text = { out: '', err: '' };
  stdout.on('data', (c: Buffer) => (text.out += c.toString()));
  stderr.on('data', (c: Buffer) => (text.err += c.toString()));
  return { stdout, stderr, text };
}
