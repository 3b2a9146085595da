import { beforeEach, describe, expect, it } from 'vitest';
import { isFomcDecision, pickFomcOdds, polymarketSource } from '../../src/sources/polymarket.ts';
import { useSourcesServer, FIXTURE_NOW, configFor, testContext, type SourcesServer } from '../fakes/sources-server.ts';

const fixture = useSourcesServer();
let server: SourcesServer;
beforeEach(() => {
  server = fixture.server;
});

describe('polymarket source', () => {
  it("reports the leading bracket of the nearest FOMC meeting, ignoring later, past and unrelated markets", async () => {
    const result = await polymarketSource(configFor(server).sources.polymarket).run(testContext());
    expect(result.indicators).toEqual([
      {
        id: 'fomc_odds',
        label: 'FOMC odds (Polymarket)',
        value: 0.87,
        unit: 'probability',
        previous: null,
        classification: '25 bps decrease',
        detail: 'Fed decreases interest rates by 25 bps after December 2025 meeting?',
        source: 'polymarket',
        asOf: FIXTURE_NOW.toISOString(),
        // The December decision: after it, these odds are no figure for the morning.
        validUntil: '2025-12-10T12:00:00.000Z',
      },
    ]);
    const query = new URL(server.requests[0]!.url, server.url);
    expect(query.pathname).toBe('/gamma/markets');
    expect(query.searchParams.get('active')).toBe('true');
    expect(query.searchParams.get('closed')).toBe('false');
  });

  it('moves on to the next meeting once the nearest has passed', async () => {
    const after = new Date('2025-12-11T00:00:00Z');
    const result = await polymarketSource(configFor(server).sources.polymarket).run(testContext({ now: () => after }));
    expect(result.indicators?.[0]).toMatchObject({ value: 0.74, classification: 'No change' });
  });

  it('skips a market that is closed though its end date is still ahead', () => {
    const open = { question: 'Fed decreases interest rates by 25 bps after December 2025 meeting?', groupItemTitle: '25 bps decrease', outcomes: '["Yes","No"]', outcomePrices: '["0.87","0.13"]', endDate: '2025-12-10T12:00:00Z' };
    const closed = { ...open, groupItemTitle: 'No change', outcomePrices: '["0.95","0.05"]', closed: true };
    expect(pickFomcOdds([closed, open], 'Fed', new Date('2025-12-01T00:00:00Z'))).toMatchObject({ outcome: '25 bps decrease', endsAt: '2025-12-10T12:00:00.000Z' });
  });

  it('fails clearly when no market matches the configured text', async () => {
    const cfg = configFor(server, { sources: { polymarket: { match: 'ECB' } } }).sources.polymarket;
    await expect(polymarketSource(cfg).run(testContext())).rejects.toThrow(/no upcoming FOMC decision market matching "ECB"/);
  });

  it('fails with a SchemaError when the answer is not a list of markets', async () => {
    server.setMode('polymarket', 'wrong-shape');
    await expect(polymarketSource(configFor(server).sources.polymarket).run(testContext())).rejects.toMatchObject({ name: 'SchemaError' });
  });

  it('reads a multi-outcome market and real arrays as well as JSON-encoded ones', () => {
    const best = pickFomcOdds(
      [
        {
          question: 'Fed decision in March 2026?',
          outcomes: ['No change', '25 bps decrease', '50+ bps decrease'],
          outcomePrices: '["0.31", "0.62", "0.07"]',
          endDate: '2026-03-18T18:00:00Z',
        },
      ],
      'Fed',
      FIXTURE_NOW,
    );
    expect(best).toMatchObject({ outcome: '25 bps decrease', probability: 0.62 });
  });

  it('tells a meeting decision from other Fed markets', () => {
    expect(isFomcDecision('No change in Fed interest rates after January 2026 meeting?', 'Fed')).toBe(true);
    expect(isFomcDecision('Fed emergency rate cut in 2025?', 'Fed')).toBe(false);
    expect(isFomcDecision('Will the Fed chair resign?', 'Fed')).toBe(false);
  });
});
