/** The market card: a real 1200×675 PNG, the same bytes for the same snapshot, no card without history. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cardForBrief } from '../../src/card/card.ts';
import { cardDataFrom } from '../../src/card/data.ts';
import { cardLayout } from '../../src/card/layout.ts';
import { pngHeader } from '../../src/card/png.ts';
import { SnapshotSchema, type Snapshot } from '../../src/domain.ts';

const bundled = (): Snapshot => SnapshotSchema.parse(JSON.parse(readFileSync(new URL('../../examples/snapshot.json', import.meta.url), 'utf8')));
const brief = { name: 'Morning Brief', dataAsOf: '2025-11-27T06:30:00.000Z', direction: 'up' as const };

/** Every text run in the satori tree, to see which tiles are drawn. */
function texts(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (!node || typeof node !== 'object') return [];
  const children = (node as { props?: { children?: unknown } }).props?.children;
  return Array.isArray(children) ? children.flatMap(texts) : texts(children);
}

function withoutHistory(s: Snapshot): Snapshot {
  return {
    ...s,
    quotes: s.quotes.map(({ history7d: _h, ...q }) => q),
    indicators: s.indicators.map(({ history: _h, ...i }) => i),
  };
}

describe('market card', () => {
  it('is a 1200×675 PNG, byte for byte the same when drawn twice from the same snapshot', async () => {
    const first = await cardForBrief(brief, bundled());
    const second = await cardForBrief(brief, bundled());
    expect(first).not.toBeNull();
    expect(pngHeader(first!)).toEqual({ width: 1200, height: 675, bitDepth: 8, colourType: expect.any(Number) });
    expect(Buffer.from(second!).equals(Buffer.from(first!))).toBe(true);
    // A different morning is a different picture.
    const other = await cardForBrief({ ...brief, dataAsOf: '2025-11-28T06:30:00.000Z' }, bundled());
    expect(Buffer.from(other!).equals(Buffer.from(first!))).toBe(false);
  });

  it("shows the brief's name and date, each coin, the gauge with yesterday, the flows and the rates", () => {
    const shown = texts(cardLayout(cardDataFrom({ ...brief, name: 'Mars Morning News' }, bundled())!)).join(' | ');
    expect(shown).toContain('Mars Morning News');
    expect(shown).toContain('Thursday, 27 Nov 2025 · 06:30 UTC');
    for (const s of ['BTC', 'ETH', 'SOL', 'XRP', 'BNB', '$91,235', '+1.64%']) expect(shown).toContain(s);
    expect(shown).toContain('Yesterday 11');
    expect(shown).toContain('+$128.7M');
    expect(shown).toContain('3.88%');
    expect(shown).toContain('83%');
  });

  it('leaves out the tile of a missing figure', () => {
    const s = bundled();
    const noEtfNoRates = { ...s, indicators: s.indicators.filter((i) => i.id === 'fear_greed') };
    const shown = texts(cardLayout(cardDataFrom(brief, noEtfNoRates)!)).join(' | ');
    expect(shown).toContain('FEAR & GREED');
    expect(shown).not.toContain('SPOT ETF NET FLOWS');
    expect(shown).not.toContain('RATES & THE FED');
  });

  it('draws no card for a snapshot without any history (an older snapshot)', async () => {
    expect(cardDataFrom(brief, withoutHistory(bundled()))).toBeNull();
    expect(await cardForBrief(brief, withoutHistory(bundled()))).toBeNull();
  });

  it('says a non-PNG is not one', () => {
    expect(pngHeader(new TextEncoder().encode('<html>not a png</html> and some more bytes'))).toBeNull();
  });
});
