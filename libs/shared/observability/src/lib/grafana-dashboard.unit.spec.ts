import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { metricsRegistry } from './metrics';

describe('Grafana dashboard (ops/grafana/tieuchi-dashboard.json)', () => {
  it('charts only series this process exports', async () => {
    const dashboard = JSON.parse(readFileSync(join(__dirname, '../../../../../ops/grafana/tieuchi-dashboard.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const exported = new Set((await metricsRegistry.getMetricsAsJSON()).map((metric) => metric.name));
    const used = dashboard.panels.flatMap((panel) => panel.targets.flatMap((target) => target.expr.match(/\b(tieuchi|nodejs|process)_[a-z0-9_]+/g) ?? []));
    const base = (name: string) => name.replace(/_(bucket|sum|count)$/, '');
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((name) => !exported.has(name) && !exported.has(base(name)))).toEqual([]);
  });
});
