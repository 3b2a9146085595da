import { afterEach, describe, expect, it } from 'vitest';
import { METRIC_NAMES, createMetrics, recordDelivery, recordRun } from '../../src/metrics.ts';
import { makeBrief, makeSnapshot, startTestServer, tempDb, type Running, type TestDb } from './helpers.ts';

let t: TestDb;
let srv: Running;
afterEach(async () => {
  await srv?.close();
  t?.cleanup();
});

function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`) || (labels === '' && l.startsWith(`${name} `)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /metrics', () => {
  it('serves every metric in Prometheus text with the counts the pipeline and the worker reported', async () => {
    t = tempDb();
    const metrics = createMetrics();
    recordRun(metrics, {
      brief: makeBrief('2025-01-15T07:30:00.000Z', { writer: 'llm' }),
      snapshot: makeSnapshot('2025-01-15T07:29:00.000Z'),
      usage: { tokensIn: 1800, tokensOut: 350 },
    });
    recordRun(metrics, { brief: makeBrief('2025-01-15T07:35:00.000Z'), snapshot: makeSnapshot('2025-01-15T07:34:00.000Z'), usage: null });
    recordDelivery(metrics, {
      platform: 'telegram',
      sent: 12,
      failed: 1,
      retried: 2,
      rateLimited: 1,
      sends: [
        { platform: 'telegram', dueAt: '2025-01-15T07:30:00Z', sentAt: '2025-01-15T07:30:04Z' },
        { platform: 'telegram', dueAt: null, sentAt: '2025-01-15T07:30:04Z' },
      ],
    });
    recordDelivery(metrics, { byPlatform: { discord: { sent: 3 } } });
    srv = await startTestServer(t.db, { metrics });

    const res = await fetch(`${srv.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const name of Object.values(METRIC_NAMES)) expect(text).toContain(`# TYPE ${name} `);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(sample(text, METRIC_NAMES.briefsTotal, 'writer="llm"')).toBe(1);
    expect(sample(text, METRIC_NAMES.briefsTotal, 'writer="extractive"')).toBe(1);
    expect(sample(text, METRIC_NAMES.sourceFailuresTotal, 'source="etf-flows"')).toBe(2);
    expect(sample(text, METRIC_NAMES.llmTokensTotal, 'direction="in"')).toBe(1800);
    expect(sample(text, METRIC_NAMES.llmTokensTotal, 'direction="out"')).toBe(350);
    expect(sample(text, METRIC_NAMES.messagesSentTotal, 'platform="telegram"')).toBe(12);
    expect(sample(text, METRIC_NAMES.messagesSentTotal, 'platform="discord"')).toBe(3);
    expect(sample(text, METRIC_NAMES.messagesFailedTotal, 'platform="telegram"')).toBe(1);
    expect(sample(text, METRIC_NAMES.messagesRetriedTotal, 'platform="telegram"')).toBe(2);
    expect(sample(text, METRIC_NAMES.rateLimitedTotal, 'platform="telegram"')).toBe(1);
    // One lag of 4 s observed (the manual send without a due time is not a lag).
    expect(sample(text, `${METRIC_NAMES.deliveryLagSeconds}_count`, 'platform="telegram"')).toBe(1);
    expect(sample(text, `${METRIC_NAMES.deliveryLagSeconds}_sum`, 'platform="telegram"')).toBe(4);
    expect(sample(text, `${METRIC_NAMES.sourceDurationSeconds}_count`, 'source="coindesk"')).toBe(2);
    expect(sample(text, METRIC_NAMES.lastBriefTimestampSeconds, '')).toBe(Date.parse('2025-01-15T07:35:00.000Z') / 1000);
  });

  it('keeps each app instance on its own registry', async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.briefsTotal.inc({ writer: 'llm' });
    expect(await b.registry.getSingleMetricAsString(METRIC_NAMES.briefsTotal)).not.toContain('writer="llm"');
  });
});
