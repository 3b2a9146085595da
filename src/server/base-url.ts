/** The absolute base URL for links that leave the site (RSS items): PUBLIC_URL, else the Host header. */
import type { IncomingMessage } from 'node:http';

// Host is client-controlled: accept only a plain host[:port] so it cannot inject markup or paths.
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * @example baseUrl(req, config.publicUrl, 8080) // "https://brief.example.org" or "http://host:8080"
 */
export function baseUrl(req: IncomingMessage, publicUrl: string | undefined, fallbackPort: number): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const host = req.headers.host ?? '';
  const forwarded = req.headers['x-forwarded-proto'];
  const proto = forwarded === 'https' ? 'https' : 'http';
  return HOST.test(host) ? `${proto}://${host}` : `http://localhost:${fallbackPort}`;
}
