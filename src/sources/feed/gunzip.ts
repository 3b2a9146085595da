/** Feeds served as raw .gz files (no Content-Encoding) still start with the gzip magic bytes. */
import { gunzipSync } from 'node:zlib';
import { NotAFeedError } from './not-a-feed-error.ts';

/** Largest body we inflate to; a feed bigger than this is not worth reading (and may be a bomb). */
export const MAX_INFLATED_BYTES = 20_000_000;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Inflates gzip bodies (twice-gzipped too, which misconfigured servers produce); other bytes pass through.
 * @example const raw = gunzipIfNeeded(bytes);
 */
export function gunzipIfNeeded(bytes: Uint8Array, url: string | null = null): Uint8Array {
  let out = bytes;
  for (let i = 0; i < 3 && isGzip(out); i++) {
    try {
      out = new Uint8Array(gunzipSync(out, { maxOutputLength: MAX_INFLATED_BYTES }));
    } catch (err) {
      throw new NotAFeedError(`corrupt gzip body: ${(err as Error).message}`, url);
    }
  }
  return out;
}
