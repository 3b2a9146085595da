/** Shared test helpers for the feed reader: fixture bytes and a collecting stream. */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';

/** Bytes of a file in test/fixtures/feeds/. */
export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../fixtures/feeds/${name}`, import.meta.url)));
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** A writable stream that keeps what was written, for CLI output assertions. */
export function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}
