/** The body arrived but is not a feed we can read: an HTML page, other XML, broken XML, nothing. */
import { redactUrl, SchemaError } from '../../errors.ts';

/**
 * A SchemaError ("the request succeeded; the data was wrong") whose `reason` says why in a
 * few words, e.g. "HTML page, not a feed" or "XML but not RSS/Atom/RDF (root <foo>)".
 * @example if (err instanceof NotAFeedError) stderr.write(`not a feed: ${err.reason}\n`);
 */
export class NotAFeedError extends SchemaError {
  override name = 'NotAFeedError';
  constructor(
    readonly reason: string,
    readonly url: string | null = null,
  ) {
    super(url ? redactUrl(url) : 'feed', reason);
  }
}

export function isNotAFeedError(err: unknown): err is NotAFeedError {
  return err instanceof NotAFeedError;
}
