/**
 * A small namespace-aware element tree built from htmlparser2's SAX events in xmlMode.
 * htmlparser2 never throws: unescaped "&", unclosed or stray end tags and junk before the
 * root all still produce a tree, which is what lets a feed with one broken item keep the rest.
 */
import { Parser } from 'htmlparser2';

export interface XmlElement {
  /** The name as written, e.g. "a:feed". */
  qname: string;
  /** Local name, e.g. "feed". */
  name: string;
  /** Namespace URI; '' when none. */
  ns: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** The xml:base in effect here (resolved against outer ones where possible), or null. */
  base: string | null;
}
export type XmlNode = XmlElement | string;

export interface XmlDocument {
  /** Top-level elements in order (normally one: the root). */
  tops: XmlElement[];
  /** The DOCTYPE declaration's text, e.g. "!DOCTYPE html", or null. */
  doctype: string | null;
}

/** Prefixes feeds use without declaring them; bound to their usual namespaces. */
const WELL_KNOWN_PREFIXES: Record<string, string> = {
  xml: 'http://www.w3.org/XML/1998/namespace',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dc: 'http://purl.org/dc/elements/1.1/',
  dcterms: 'http://purl.org/dc/terms/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  atom: 'http://www.w3.org/2005/Atom',
  atom10: 'http://www.w3.org/2005/Atom',
  a10: 'http://www.w3.org/2005/Atom',
  media: 'http://search.yahoo.com/mrss/',
  itunes: 'http://www.itunes.com/dtds/podcast-1.0.dtd',
  feedburner: 'http://rssnamespace.org/feedburner/ext/1.0',
};

function splitName(qname: string): [prefix: string, local: string] {
  const i = qname.indexOf(':');
  return i < 0 ? ['', qname] : [qname.slice(0, i), qname.slice(i + 1)];
}

function resolveBase(value: string, outer: string | null): string {
  if (!outer) return value;
  try {
    return new URL(value, outer).href;
  } catch {
    return value;
  }
}

/**
 * @example const doc = readXmlTree('<rss><channel>...</channel></rss>');
 */
export function readXmlTree(text: string): XmlDocument {
  const doc: XmlDocument = { tops: [], doctype: null };
  const stack: XmlElement[] = [];
  const scopes: Array<Record<string, string>> = [{}];

  const parser = new Parser(
    {
      onopentag(qname, attrs) {
        const parentScope = scopes[scopes.length - 1]!;
        let scope = parentScope;
        for (const [key, value] of Object.entries(attrs)) {
          if (key === 'xmlns' || key.startsWith('xmlns:')) {
            if (scope === parentScope) scope = { ...parentScope };
            scope[key === 'xmlns' ? '' : key.slice(6)] = value.trim();
          }
        }
        scopes.push(scope);
        const [prefix, name] = splitName(qname);
        const ns = scope[prefix] ?? WELL_KNOWN_PREFIXES[prefix.toLowerCase()] ?? (prefix ? `urn:undeclared-prefix:${prefix}` : '');
        const parent = stack[stack.length - 1];
        const outerBase = parent?.base ?? null;
        const xmlBase = attrs['xml:base'];
        const el: XmlElement = {
          qname,
          name,
          ns,
          attrs,
          children: [],
          base: xmlBase !== undefined && xmlBase.trim() !== '' ? resolveBase(xmlBase.trim(), outerBase) : outerBase,
        };
        if (parent) parent.children.push(el);
        else doc.tops.push(el);
        stack.push(el);
      },
      onclosetag() {
        stack.pop();
        scopes.pop();
      },
      ontext(data) {
        const parent = stack[stack.length - 1];
        if (!parent) return;
        const last = parent.children[parent.children.length - 1];
        if (typeof last === 'string') parent.children[parent.children.length - 1] = last + data;
        else parent.children.push(data);
      },
      onprocessinginstruction(name, data) {
        if (name.toLowerCase() === '!doctype' && doc.doctype === null) doc.doctype = data;
      },
    },
    { xmlMode: true },
  );
  parser.write(text);
  parser.end();
  return doc;
}

/** Direct child elements matching a local name and one of the namespaces. */
export function childrenOf(el: XmlElement, name: string, namespaces: ReadonlySet<string>): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (typeof c !== 'string' && c.name === name && namespaces.has(c.ns)) out.push(c);
  return out;
}

export function childOf(el: XmlElement, name: string, namespaces: ReadonlySet<string>): XmlElement | null {
  for (const c of el.children) if (typeof c !== 'string' && c.name === name && namespaces.has(c.ns)) return c;
  return null;
}

/** Every descendant element matching, in document order (iterative: deep junk cannot blow the stack). */
export function descendantsOf(el: XmlElement, name: string, namespaces: ReadonlySet<string>): XmlElement[] {
  const out: XmlElement[] = [];
  const todo: XmlNode[] = [...el.children].reverse();
  while (todo.length > 0) {
    const node = todo.pop()!;
    if (typeof node === 'string') continue;
    if (node.name === name && namespaces.has(node.ns)) out.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) todo.push(node.children[i]!);
  }
  return out;
}

// Elements whose boundaries separate words when markup is flattened to text.
const BLOCK = new Set(['p', 'div', 'br', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'tr', 'td', 'th', 'table', 'blockquote', 'pre', 'section', 'article', 'header', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'figure', 'figcaption']);

/** All text below an element, with a space where block-level markup separated it. */
export function textOf(el: XmlElement): string {
  let out = '';
  const todo: Array<XmlNode | null> = [...el.children].reverse();
  while (todo.length > 0) {
    const node = todo.pop();
    if (node === undefined) break;
    if (node === null) {
      out += ' ';
      continue;
    }
    if (typeof node === 'string') {
      out += node;
      continue;
    }
    const block = BLOCK.has(node.name.toLowerCase());
    if (block) {
      out += ' ';
      todo.push(null);
    }
    for (let i = node.children.length - 1; i >= 0; i--) todo.push(node.children[i]!);
  }
  return out;
}

/** An attribute by local name, whatever its prefix ("rdf:about" or "about"). */
export function attrOf(el: XmlElement, localName: string): string | null {
  const direct = el.attrs[localName];
  if (direct !== undefined) return direct;
  for (const [k, v] of Object.entries(el.attrs)) if (k.endsWith(`:${localName}`)) return v;
  return null;
}

/** Whether an element holds anything at all (an empty `<item/>` nested by mistake does not). */
export function isEmptyElement(el: XmlElement): boolean {
  return el.children.every((c) => typeof c === 'string' && c.trim() === '');
}
