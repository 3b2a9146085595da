/** Draws the card: satori lays the tree out to SVG, resvg rasterises it to a PNG (same bytes for the same data). */
import type { CardData } from './data.ts';
import { loadCardFonts } from './fonts.ts';
import { cardLayout } from './layout.ts';
import { CARD_HEIGHT, CARD_WIDTH } from './theme.ts';

/** The card as SVG text (satori). */
export async function renderCardSvg(data: CardData): Promise<string> {
  const { default: satori } = await import('satori');
  // satori's types want a React element; our plain { type, props } tree is what it reads.
  return satori(cardLayout(data) as unknown as Parameters<typeof satori>[0], {
    width: CARD_WIDTH,
    height: CARD_HEIGHT,
    fonts: loadCardFonts(),
  });
}

/**
 * The card as a 1200×675 PNG. Fonts come only from the npm package (system fonts off), so the
 * bytes do not depend on the machine.
 * @example const png = await renderCard(cardDataFrom(brief, snapshot)!);
 */
export async function renderCard(data: CardData): Promise<Uint8Array> {
  const svg = await renderCardSvg(data);
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false }, background: '#0E1627' });
  return new Uint8Array(resvg.render().asPng());
}
