/**
 * The Grafana dashboard and the Prometheus alert rules in docs/fleet.md ask
 * only for metrics a kiosk really serves: a renamed metric would otherwise
 * leave a museum's alerts silently empty.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createKioskMetrics } from '../../main/metrics/metrics.js';

const docs = fileURLToPath(new URL('../../docs/', import.meta.url));

/** Every metric name a kiosk following a channel serves, with histogram/summary suffixes. */
async function served(): Promise<Set<string>> {
  const m = createKioskMetrics({
    content: () => ({ version: 'v', contentVersion: '1', source: 'channel' }),
    schedule: () => 'showing',
    channelLastCheck: () => 0,
    channelBehindSeconds: () => 0,
  });
  const names = new Set<string>();
  for (const line of (await m.text()).split('\n')) {
    const name = /^(?:# TYPE )?([a-z_:][a-z0-9_:]*)/.exec(line)?.[1];
    if (name) names.add(name);
  }
  // Prometheus's own series for every scrape target.
  names.add('up');
  return names;
}

/** The metric names in a PromQL expression (function names, keywords and labels left out). */
function metricsIn(expr: string): string[] {
  const withoutLabels = expr.replace(/\{[^}]*\}/g, '').replace(/\[[^\]]*\]/g, '');
  const words = withoutLabels.match(/[a-z_:][a-z0-9_:]*/g) ?? [];
  const notMetrics = new Set([
    'sum',
    'by',
    'count',
    'increase',
    'rate',
    'max',
    'or',
    'vector',
    'time',
    'and',
  ]);
  return words.filter((w) => !notMetrics.has(w) && /^(vitrine|process|nodejs|up)/.test(w));
}

describe('fleet docs', () => {
  it('the Grafana dashboard parses and every panel queries served metrics', async () => {
    const names = await served();
    const dash = JSON.parse(await readFile(`${docs}grafana-dashboard.json`, 'utf8')) as {
      title: string;
      panels: { title: string; targets: { expr: string }[] }[];
    };
    expect(dash.title).toBe('Vitrine kiosks');
    expect(dash.panels.length).toBeGreaterThan(5);
    for (const p of dash.panels) {
      expect(p.targets.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets) {
        const used = metricsIn(t.expr);
        expect(used.length, `${p.title}: ${t.expr}`).toBeGreaterThan(0);
        for (const n of used) expect(names.has(n), `${p.title} asks for ${n}`).toBe(true);
      }
    }
  });

  it('the alert rules parse and ask for served metrics, including the three the fleet needs', async () => {
    const names = await served();
    const md = await readFile(`${docs}fleet.md`, 'utf8');
    const block = [...md.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .find((b) => b.includes('alert:'));
    const rules = (
      parseYaml(block!) as { groups: { rules: { alert: string; expr: string }[] }[] }
    ).groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'VitrineKioskDown',
        'VitrineRendererRestarting',
        'VitrineContentBehindChannel',
      ]),
    );
    for (const r of rules) {
      for (const n of metricsIn(r.expr)) expect(names.has(n), `${r.alert} asks for ${n}`).toBe(true);
    }
  });
});
