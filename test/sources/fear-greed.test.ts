import { beforeEach, describe, expect, it } from 'vitest';
import { fearGreedSource } from '../../src/sources/fear-greed.ts';
import { useSourcesServer, configFor, testContext, type SourcesServer } from '../fakes/sources-server.ts';

const fixture = useSourcesServer();
let server: SourcesServer;
beforeEach(() => {
  server = fixture.server;
});

describe('fear & greed source', () => {
  it("gives today's index with yesterday's as previous", async () => {
    const result = await fearGreedSource(configFor(server).sources.fearGreed).run(testContext());
    expect(result.indicators).toEqual([
      {
        id: 'fear_greed',
        label: 'Fear & Greed Index',
        value: 28,
        unit: 'index',
        previous: 22,
        classification: 'Fear',
        detail: null,
        source: 'alternative.me',
        asOf: '2025-12-04T00:00:00.000Z',
        history: expect.any(Array),
      },
    ]);
    // The last 30 readings, oldest first, ending with today's (the card's gauge and trend).
    const history = result.indicators![0]!.history!;
    expect(history).toHaveLength(30);
    expect(history.at(-1)).toEqual({ asOf: '2025-12-04T00:00:00.000Z', value: 28 });
    expect(history.at(-2)).toEqual({ asOf: '2025-12-03T00:00:00.000Z', value: 22 });
    expect(history[0]!.asOf < history[1]!.asOf).toBe(true);
    expect(server.requests[0]?.url).toBe('/fng/?limit=30');
  });

  it('fails with a SchemaError when the value is not a number', async () => {
    server.setMode('fearGreed', 'wrong-shape');
    await expect(fearGreedSource(configFor(server).sources.fearGreed).run(testContext())).rejects.toMatchObject({
      name: 'SchemaError',
      message: expect.stringContaining('alternative.me'),
    });
  });

  it('fails with a SchemaError on HTML instead of JSON', async () => {
    server.setMode('fearGreed', 'html');
    await expect(fearGreedSource(configFor(server).sources.fearGreed).run(testContext())).rejects.toMatchObject({ name: 'SchemaError' });
  });
});
