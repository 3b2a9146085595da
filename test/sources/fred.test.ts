import { beforeEach, describe, expect, it } from 'vitest';
import { SchemaError } from '../../src/errors.ts';
import { fredSource, parseFredCsv } from '../../src/sources/fred.ts';
import { useSourcesServer, configFor, testContext, type SourcesServer } from '../fakes/sources-server.ts';

const fixture = useSourcesServer();
let server: SourcesServer;
beforeEach(() => {
  server = fixture.server;
});

describe('fred source', () => {
  it('reads fed funds and the 10-year yield, skipping "." days for value and previous', async () => {
    const result = await fredSource(configFor(server).sources.fred).run(testContext());
    expect(result.warning ?? null).toBeNull();
    const [fedFunds, us10y] = result.indicators ?? [];
    expect(fedFunds).toMatchObject({ id: 'fed_funds', unit: 'percent', value: 3.89, previous: 3.88, asOf: '2025-12-03T00:00:00.000Z', source: 'fred' });
    // DGS10's latest row is "." so the 2nd is the latest value and the 1st its previous.
    expect(us10y).toMatchObject({ id: 'us10y', unit: 'percent', value: 4.08, previous: 4.09, asOf: '2025-12-02T00:00:00.000Z' });
    expect(server.requests.map((r) => new URL(r.url, server.url).searchParams.get('id')).sort()).toEqual(['DFF', 'DGS10']);
  });

  it('keeps the series that worked and warns about the one that did not', async () => {
    const cfg = configFor(server, { sources: { fred: { tenYearSeries: 'NOPE10' } } }).sources.fred;
    const result = await fredSource(cfg).run(testContext({ retries: 0 }));
    expect(result.indicators?.map((i) => i.id)).toEqual(['fed_funds']);
    expect(result.warning).toMatch(/^NOPE10: HTTP 404/);
  });

  it('fails with a SchemaError when a value is not a number', async () => {
    server.setMode('fred', 'wrong-shape');
    await expect(fredSource(configFor(server).sources.fred).run(testContext())).rejects.toThrow(/unexpected data from FRED DFF/);
  });

  it('rejects an HTML page served as the CSV', () => {
    expect(() => parseFredCsv('<html><body>Error</body></html>', 'DFF')).toThrow(SchemaError);
  });

  it('accepts the older "DATE,DFF" header and Windows line ends', () => {
    expect(parseFredCsv('DATE,DFF\r\n2025-01-02,4.33\r\n2025-01-03,.\r\n', 'DFF')).toEqual([{ date: '2025-01-02', value: 4.33 }]);
  });
});
