import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeFeedText } from '../../../src/sources/feed/decode.ts';
import { parseFeed } from '../../../src/sources/feed/parse.ts';
import { fixture } from './helpers.ts';

const rss = (title: string, decl = '<?xml version="1.0"?>') =>
  `${decl}<rss version="2.0"><channel><title>T</title><item><title>${title}</title><link>https://e.example/1</link></item></channel></rss>`;

describe('parseFeed: character encodings', () => {
  it('decodes a windows-1251 feed declared in the XML prolog', () => {
    const feed = parseFeed(fixture('feedparser--iconv.xml'));
    expect(feed.title).toBe('Новости Оренбурга и области / Раздел Новости');
    expect(feed.items).toHaveLength(10);
    expect(feed.items[0]?.title).toBe('В Бузулуке главные стройплощадки – детсад и Ледовый дворец');
    expect(feed.items[1]?.title).toBe('ЧОПовцы в Оренбурге избили молодого человека');
  });

  it('decodes an ISO-8859-1 feed (as windows-1252, its superset)', () => {
    const feed = parseFeed(fixture('rssparser--encoding.rss'));
    expect(feed.title).toBe('Jornal de Notícias - Últimas Notícias');
    expect(feed.items).toHaveLength(40);
    expect(feed.items[0]?.title).toBe('Mãe de utente é a nova presidente da Raríssimas');
    expect(feed.items[0]?.summary).toContain('Sónia Laygue');
  });

  it('falls back to windows-1252 for undeclared bytes that are not UTF-8', () => {
    const feed = parseFeed(fixture('rssparser--uolNoticias.rss'));
    expect(feed.items).toHaveLength(15);
    expect(feed.items[0]?.title).toBe('Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno');
    expect(feed.items[0]?.summary).toContain('Líder na pesquisa Ibope');
  });

  it('maps ISO-8859-1 bytes 0x80-0x9F to the windows-1252 curly quotes and euro sign', () => {
    const bytes = iconv.encode(rss('“Bitcoin” at €80k'), 'windows-1252');
    expect(parseFeed(bytes, { contentType: 'text/xml; charset=ISO-8859-1' }).items[0]?.title).toBe('“Bitcoin” at €80k');
  });

  it('uses the Content-Type charset when the XML does not declare one', () => {
    const bytes = iconv.encode(rss('Биткоин растёт'), 'windows-1251');
    const feed = parseFeed(bytes, { contentType: 'application/rss+xml; charset="windows-1251"' });
    expect(feed.items[0]?.title).toBe('Биткоин растёт');
  });

  it('prefers the XML declaration over a blanket charset in the header', () => {
    const bytes = iconv.encode(rss('Биткоин', '<?xml version="1.0" encoding="windows-1251"?>'), 'windows-1251');
    expect(parseFeed(bytes, { contentType: 'text/xml; charset=utf-8' }).items[0]?.title).toBe('Биткоин');
  });

  it('reads UTF-8 that is mislabelled as ISO-8859-1 as UTF-8 (no "CafÃ©")', () => {
    const bytes = new TextEncoder().encode(rss('Café crème', '<?xml version="1.0" encoding="ISO-8859-1"?>'));
    expect(parseFeed(bytes).items[0]?.title).toBe('Café crème');
  });

  it('keeps a short windows-1251 title that happens to be valid UTF-8 ("ШЁ" is the bytes of "ب") in its declared charset', () => {
    const bytes = iconv.encode(rss('ШЁ', '<?xml version="1.0" encoding="windows-1251"?>'), 'windows-1251');
    expect(parseFeed(bytes).items[0]?.title).toBe('ШЁ');
    const mislabelled = new TextEncoder().encode(rss('Привет, мир', '<?xml version="1.0" encoding="windows-1251"?>'));
    expect(parseFeed(mislabelled).items[0]?.title).toBe('Привет, мир');
  });

  it('reads a Latin-1 file that wrongly declares UTF-8 as windows-1252', () => {
    const bytes = iconv.encode(rss('Préstamo récord en Málaga', '<?xml version="1.0" encoding="UTF-8"?>'), 'windows-1252');
    expect(parseFeed(bytes).items[0]?.title).toBe('Préstamo récord en Málaga');
  });

  it('keeps a UTF-8 feed with one stray cp1252 byte as UTF-8, losing only that character', () => {
    const head = new TextEncoder().encode('<rss><channel><item><title>Ether ≈ $3,000 – Bitcoin');
    const tail = new TextEncoder().encode('s rally</title></item></channel></rss>');
    const bytes = new Uint8Array([...head, 0x92, ...tail]);
    expect(parseFeed(bytes).items[0]?.title).toBe('Ether ≈ $3,000 – Bitcoin\uFFFDs rally');
  });

  it('honours byte-order marks (UTF-8 and UTF-16)', () => {
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(rss('Ether ≈ $3,000'))]);
    expect(parseFeed(withBom).items[0]?.title).toBe('Ether ≈ $3,000');
    const utf16 = iconv.encode(rss('Ether ≈ $3,000', '<?xml version="1.0" encoding="UTF-16"?>'), 'utf-16le', { addBOM: true });
    expect(parseFeed(utf16).items[0]?.title).toBe('Ether ≈ $3,000');
  });

  it('gunzips a gzip body even without Content-Encoding, then decodes its charset', () => {
    const feed = parseFeed(fixture('feedparser--compressed.xml'));
    expect(feed.items).toHaveLength(10);
    expect(feed.items[0]?.title).toBe('В Бузулуке главные стройплощадки – детсад и Ледовый дворец');
    const twice = gzipSync(gzipSync(new TextEncoder().encode(rss('Twice gzipped'))));
    expect(parseFeed(twice).items[0]?.title).toBe('Twice gzipped');
  });

  it('reports which charset it chose and why', () => {
    expect(decodeFeedText(fixture('feedparser--iconv.xml'))).toMatchObject({ encoding: 'windows-1251', from: 'xml-declaration' });
    expect(decodeFeedText(fixture('rssparser--uolNoticias.rss'))).toMatchObject({ encoding: 'windows-1252', from: 'fallback' });
  });
});
