/**
 * The kiosk's Prometheus endpoint: every metric the fleet docs and alerts use
 * is there and parses as Prometheus text, values come from what the
 * composition root feeds, more metrics can be added to the same registry, and
 * an address other machines can reach is served only with a bearer token.
 */
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { Counter } from 'prom-client';
import {
  createKioskMetrics,
  isLoopback,
  serveMetrics,
  type MetricsFeeds,
  type MetricsServer,
} from '../../main/metrics/metrics.js';

interface Family {
  name: string;
  type: string;
  metrics: { value: string; labels?: Record<string, string> }[];
}
const parse = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => Family[];

const servers: MetricsServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

function feeds(over: Partial<MetricsFeeds> = {}): MetricsFeeds {
  return {
    content: () => ({ version: '2-abc', contentVersion: '2', source: 'channel' }),
    schedule: () => 'update-waiting',
    channelLastCheck: () => Date.parse('2026-11-29T01:00:00Z'),
    channelBehindSeconds: () => 90,
    ...over,
  };
}

async function scrape(url: string, token?: string) {
  const res = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
}

describe('kiosk metrics', () => {
  it('serves every kiosk metric on 127.0.0.1, parsed as Prometheus text', async () => {
    let now = 1_000_000;
    const m = createKioskMetrics(feeds(), { now: () => now });
    m.contentApplied('applied');
    m.contentApplied('applied');
    m.contentApplied('rolled-back');
    m.rendererRestarted('crash');
    m.channelError();
    now += 42_000;
    const server = await serveMetrics(m, { port: 0 });
    servers.push(server);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const res = await scrape(server.url);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain/);
    const f = new Map(parse(res.text).map((x) => [x.name, x]));
    const one = (name: string, labels?: Record<string, string>) => {
      const family = f.get(name);
      expect(family, `${name} is served`).toBeDefined();
      const sample = family!.metrics.find((s) =>
        Object.entries(labels ?? {}).every(([k, v]) => s.labels?.[k] === v),
      );
      expect(sample, `${name} ${JSON.stringify(labels)}`).toBeDefined();
      return Number(sample!.value);
    };
    expect(one('vitrine_up')).toBe(1);
    expect(one('vitrine_uptime_seconds')).toBe(42);
    expect(
      one('vitrine_content_version_info', { version: '2-abc', content_version: '2', source: 'channel' }),
    ).toBe(1);
    expect(one('vitrine_content_applies_total', { result: 'applied' })).toBe(2);
    expect(one('vitrine_content_applies_total', { result: 'rolled-back' })).toBe(1);
    expect(one('vitrine_content_applies_total', { result: 'rejected' })).toBe(0);
    expect(one('vitrine_renderer_restarts_total', { reason: 'crash' })).toBe(1);
    expect(one('vitrine_renderer_restarts_total', { reason: 'hang' })).toBe(0);
    expect(one('vitrine_channel_last_check_timestamp_seconds')).toBe(
      Date.parse('2026-11-29T01:00:00Z') / 1000,
    );
    expect(one('vitrine_channel_errors_total')).toBe(1);
    expect(one('vitrine_channel_behind_seconds')).toBe(90);
    expect(one('vitrine_schedule_state', { state: 'update-waiting' })).toBe(1);
    expect(one('vitrine_schedule_state', { state: 'showing' })).toBe(0);
    // Process memory, from prom-client's default metrics on this registry.
    expect(one('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(one('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('leaves out what does not apply: no channel, no channel samples; no content, no version', async () => {
    const m = createKioskMetrics({ content: () => undefined, schedule: () => 'showing' });
    const families = new Map(parse(await m.text()).map((x) => [x.name, x]));
    for (const name of [
      'vitrine_channel_last_check_timestamp_seconds',
      'vitrine_channel_errors_total',
      'vitrine_channel_behind_seconds',
    ])
      expect(families.has(name), name).toBe(false);
    expect(families.get('vitrine_up')?.metrics[0]?.value).toBe('1');
    expect(families.get('vitrine_content_version_info')?.metrics ?? []).toEqual([]);
  });

  it('takes more metrics on its registry, and two kiosks never share one', async () => {
    const a = createKioskMetrics(feeds());
    const b = createKioskMetrics(feeds());
    const visits = new Counter({ name: 'vitrine_visits_total', help: 'Visits.', registers: [a.registry] });
    visits.inc(3);
    expect(await a.text()).toMatch(/^vitrine_visits_total 3$/m);
    expect(await b.text()).not.toMatch(/vitrine_visits_total/);
  });

  it('refuses to serve on an address other machines can reach without a token', async () => {
    const m = createKioskMetrics(feeds());
    await expect(serveMetrics(m, { port: 0, host: '0.0.0.0' })).rejects.toThrow(/needs a "token"/);
  });

  it('answers 401 to a missing or wrong token, and the metrics to the right one', async () => {
    const token = 'a-long-random-scrape-token';
    const server = await serveMetrics(createKioskMetrics(feeds()), { port: 0, host: '0.0.0.0', token });
    servers.push(server);
    const url = server.url.replace('0.0.0.0', '127.0.0.1');
    expect((await scrape(url)).status).toBe(401);
    expect((await scrape(url, 'a-long-random-scrape-tokex')).status).toBe(401);
    expect((await scrape(url, 'short')).status).toBe(401);
    const ok = await scrape(url, token);
    expect(ok.status).toBe(200);
    expect(ok.text).toMatch(/^vitrine_up 1$/m);
  });

  it('knows which addresses are this machine only', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.20', 'kiosk-7.museum.lan'])
      expect(isLoopback(h), h).toBe(false);
  });
});
