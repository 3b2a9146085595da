/**
 * Bytes to text with the right charset. Order: byte-order mark, then the XML declaration's
 * `encoding`, then the Content-Type charset, then what the bytes say: UTF-8 if they are
 * (mostly) UTF-8, else windows-1252. The declaration wins over the header because feeds are
 * usually files that say what they are, while servers add a blanket `charset=utf-8`.
 */
import iconv from 'iconv-lite';

export interface DecodedText {
  text: string;
  /** The charset actually used, lower case (e.g. "windows-1251"). */
  encoding: string;
  /** Where the charset came from. */
  from: 'bom' | 'xml-declaration' | 'content-type' | 'sniffed' | 'fallback';
}

// WHATWG Encoding: these labels mean windows-1252 (its C1 range holds curly quotes, the euro...).
const LATIN1_LABELS = new Set(['iso-8859-1', 'iso8859-1', 'latin1', 'l1', 'us-ascii', 'ascii', 'iso_8859-1', 'cp819', 'ibm819']);
// Legacy one-byte charsets: valid multi-byte UTF-8 in such a file means it was mislabelled.
const SINGLE_BYTE = /^(windows-125\d|cp125\d|iso-?8859-\d+|koi8-[ru]|latin\d|macintosh)$/;

function normaliseLabel(label: string): string {
  const l = label.trim().toLowerCase().replace(/^["']|["']$/g, '');
  return LATIN1_LABELS.has(l) ? 'windows-1252' : l;
}

function bomEncoding(b: Uint8Array): string | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  // "<?" in UTF-16 without a BOM.
  if (b[0] === 0x3c && b[1] === 0x00 && b[2] === 0x3f && b[3] === 0x00) return 'utf-16le';
  if (b[0] === 0x00 && b[1] === 0x3c && b[2] === 0x00 && b[3] === 0x3f) return 'utf-16be';
  return null;
}

/** The `encoding` pseudo-attribute of a leading `<?xml ...?>`, read as ASCII. */
export function declaredEncoding(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  const decl = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return decl?.[1] ?? null;
}

/** The `charset` parameter of a Content-Type header. */
export function contentTypeCharset(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType);
  return m?.[2] ?? null;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Counts well-formed multi-byte UTF-8 sequences and bytes that cannot be UTF-8. */
export function utf8Evidence(bytes: Uint8Array): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let ok = length > 0 && i + length <= bytes.length;
    for (let k = 1; ok && k < length; k++) ok = (bytes[i + k]! & 0xc0) === 0x80;
    if (ok) {
      valid++;
      i += length;
    } else {
      invalid++;
      i++;
    }
  }
  return { valid, invalid };
}

/**
 * Mostly UTF-8 with a stray byte (a pasted cp1252 quote) stays UTF-8, losing one character;
 * bytes with no UTF-8 sequence at all are a one-byte charset.
 */
function mostlyUtf8(bytes: Uint8Array): boolean {
  const { valid, invalid } = utf8Evidence(bytes);
  return invalid === 0 || valid > invalid;
}

function hasNonAscii(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b > 0x7f) return true;
  return false;
}

function otherCharset(contentType: string | null): boolean {
  const label = contentTypeCharset(contentType);
  if (!label) return false;
  const encoding = normaliseLabel(label);
  return encoding !== 'utf-8' && encoding !== 'utf8' && iconv.encodingExists(encoding);
}

/**
 * Valid UTF-8 in a file declared one-byte. In Cyrillic, Greek... charsets a short text can be
 * valid UTF-8 by chance (windows-1251 "ШЁ" is the bytes of UTF-8 "ب"), so one multi-byte
 * sequence is not enough there; Latin letters never form UTF-8 by chance, so for them it is.
 */
function mislabelled(bytes: Uint8Array, encoding: string): boolean {
  return utf8Evidence(bytes).valid >= 2 || /^(windows-1252|cp1252|iso-?8859-(1|15)|latin1)$/.test(encoding);
}

function decodeWith(bytes: Uint8Array, encoding: string): string {
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding, { stripBOM: true });
}

/**
 * @example decodeFeedText(bytes, 'text/xml; charset=windows-1251').text
 */
export function decodeFeedText(bytes: Uint8Array, contentType: string | null = null): DecodedText {
  const bom = bomEncoding(bytes);
  if (bom) return { text: decodeWith(bytes, bom), encoding: bom, from: 'bom' };

  const candidates: Array<[string | null, DecodedText['from']]> = [
    [declaredEncoding(bytes), 'xml-declaration'],
    [contentTypeCharset(contentType), 'content-type'],
  ];
  for (const [label, from] of candidates) {
    if (!label) continue;
    const encoding = normaliseLabel(label);
    if (!iconv.encodingExists(encoding)) continue;
    const utf8 = encoding === 'utf-8' || encoding === 'utf8';
    if (utf8 && !isValidUtf8(bytes)) {
      // Declared UTF-8 but not UTF-8: let the header have its say, then judge by the bytes.
      if (from === 'xml-declaration' && otherCharset(contentType)) continue;
      if (!mostlyUtf8(bytes)) return { text: decodeWith(bytes, 'windows-1252'), encoding: 'windows-1252', from: 'fallback' };
    }
    if (SINGLE_BYTE.test(encoding) && hasNonAscii(bytes) && isValidUtf8(bytes) && mislabelled(bytes, encoding)) {
      return { text: decodeWith(bytes, 'utf-8'), encoding: 'utf-8', from: 'sniffed' };
    }
    return { text: decodeWith(bytes, encoding), encoding, from };
  }
  if (mostlyUtf8(bytes)) return { text: decodeWith(bytes, 'utf-8'), encoding: 'utf-8', from: 'sniffed' };
  return { text: decodeWith(bytes, 'windows-1252'), encoding: 'windows-1252', from: 'fallback' };
}
