/** Bearer-token check for POST /trigger, in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * True when the Authorization header is `Bearer <expected>`. Both sides are hashed first so
 * timingSafeEqual gets equal-length buffers and the comparison time says nothing about the
 * token's length or prefix.
 * @example if (!bearerMatches(req.headers.authorization, config.triggerToken)) return 401;
 */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  const given = match?.[1] ?? '';
  const equal = timingSafeEqual(digest(given), digest(expected));
  return equal && given.length > 0;
}
