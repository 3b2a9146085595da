/** A tiny element builder for satori (no JSX, no React): { type, props: { style, children } }. */

export interface Node {
  type: string;
  props: Record<string, unknown> & { children?: Node | string | Array<Node | string> };
}

export type Style = Record<string, string | number>;

/** An element with attributes (for <svg> parts) and children. */
export function el(type: string, props: Record<string, unknown>, children?: Node | string | Array<Node | string>): Node {
  return { type, props: children === undefined ? props : { ...props, children } };
}

/** A flex box (satori needs display:flex on any div with more than one child). */
export function box(style: Style, children: Array<Node | string | null | false>): Node {
  const kids = children.filter((c): c is Node | string => c !== null && c !== false);
  return el('div', { style: { display: 'flex', ...style } }, kids);
}

/** One run of text. */
export function text(value: string, style: Style = {}): Node {
  return el('div', { style: { display: 'flex', ...style } }, value);
}
