/** Error messages never carry secrets (src/errors.ts). */
import { describe, expect, it } from 'vitest';
import { NetworkError, redactUrl } from '../src/errors.ts';

describe('redactUrl', () => {
  it('hides the password of a URL with basic auth, keeping user and host for the reader', () => {
    expect(redactUrl('https://reader:s3cret@feeds.example.com/private.xml')).toBe('https://reader:<redacted>@feeds.example.com/private.xml');
    const err = new NetworkError('https://reader:s3cret@127.0.0.1:9/feed?token=abc', new Error('connect ECONNREFUSED'));
    expect(err.message).not.toContain('s3cret');
    expect(err.message).not.toContain('abc');
    expect(err.message).toContain('127.0.0.1:9/feed');
  });

  it('leaves ordinary URLs alone', () => {
    expect(redactUrl('https://www.coindesk.com/arc/outboundfeeds/rss/?outputType=xml')).toBe('https://www.coindesk.com/arc/outboundfeeds/rss/?outputType=xml');
    expect(redactUrl('https://example.com/@user/feed')).toBe('https://example.com/@user/feed');
  });
});
