// The demo seed's civil-society and support-programme reports: after `seedDemo` the public reads the
// civil-society report of 2024 and 2025 and the programmes' of 2023 and 2025 (published, protected),
// and the statistician's overview of unique people of 2025 finds the demo's persons known to several
// sources by their linkage keys (src/stats/sources/demo-keys.ts) and counts each once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/cli/stats.ts';
import type { SourceReportView } from '../../src/contract/source-reports.ts';
import { civilSocietyDemoYears } from '../../src/stats/sources/demo-civil-society.ts';
import { demoPersonKey } from '../../src/stats/sources/demo-keys.ts';
import { dbTargets } from '../support/db.ts';
import { json, openTestApp, type TestApp } from '../support/http.ts';

describe.each(dbTargets())('the demo’s source reports on %s', { timeout: 600_000 }, (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(target);
    await seedDemo(t.database.db);
  }, 600_000);
  afterAll(() => t?.close());
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  it('publishes 2024-civ-1, 2025-civ-1, 2023-stp-1 and 2025-stp-1 beside the coordinators’ 2025-1', async () => {
    expect(json<{ items: { id: string }[] }>(await get('/api/stats/releases')).items.map((r) => r.id)).toEqual(['2025-1']);
    expect(json<{ items: { id: string; published: boolean; demo: boolean }[] }>(await get('/api/stats/releases?source=civil_society')).items).toMatchObject([
      { id: '2025-civ-1', published: true, demo: true },
      { id: '2024-civ-1', published: true, demo: true },
    ]);
    expect(json<{ items: { id: string }[] }>(await get('/api/stats/releases?source=support_programme')).items.map((r) => r.id)).toEqual(['2025-stp-1', '2023-stp-1']);
  });

  it('the public reads the civil-society report of 2024 and the programmes’ of 2023, protected', async () => {
    const civ = await get('/api/stats/source-report?source=civil_society&year=2024');
    expect(civ.statusCode).toBe(200);
    const view = json<SourceReportView>(civ);
    expect(view).toMatchObject({ source: 'civil_society', year: 2024, form: 'protected', demo: true, release: { id: '2024-civ-1' }, lang: 'sv' });
    expect(view.tables.length).toBeGreaterThan(0);
    // The 2024 release holds the demo's 2024 records the report counts.
    const records2024 = civilSocietyDemoYears.find((y) => y.year === 2024)!.records.length;
    expect(view.persons === null || view.persons <= records2024 + (civilSocietyDemoYears.find((y) => y.year === 2025)?.records.length ?? 0)).toBe(true);
    const stp = await get('/api/stats/source-report?source=support_programme&year=2023&lang=en');
    expect(stp.statusCode).toBe(200);
    expect(json<SourceReportView>(stp)).toMatchObject({ source: 'support_programme', year: 2023, form: 'protected', release: { id: '2023-stp-1' }, lang: 'en' });
    for (const v of [view, json<SourceReportView>(stp)]) {
      for (const r of v.tables.flatMap((x) => [...x.rows, ...(x.totals ?? [])])) expect(r.count === null).toBe(r.status === 'primary' || r.status === 'secondary');
    }
  });

  it('the statistician’s overview of 2025 counts a person known to a coordinator and to civil society once', async () => {
    const stat = await t.as({ role: 'statistician' });
    const res = await stat.inject({ method: 'GET', url: '/api/stats/unique-people?year=2025' });
    expect(res.statusCode).toBe(200);
    const overview = json<{ persons: number; records: number; by_source: Record<string, number>; combinations: { sources: string[]; persons: number }[] }>(res);
    const combo = (...sources: string[]) => overview.combinations.find((c) => c.sources.length === sources.length && sources.every((s) => c.sources.includes(s)))?.persons;
    expect(overview.by_source.coordinator).toBe(481);
    // The demo's convention: 0..9 in all three, 10..59 coordinators and civil society only,
    // 60..89 coordinators and programmes only, 300000..300019 civil society and programmes only.
    expect(combo('coordinator', 'civil_society', 'support_programme')).toBe(10);
    expect(combo('coordinator', 'civil_society')).toBe(50);
    expect(combo('coordinator', 'support_programme')).toBe(30);
    expect(combo('civil_society', 'support_programme')).toBe(20);
    // Each person once: the union is the sum over the exclusive combinations, less than the sources' sum.
    expect(overview.persons).toBe(overview.combinations.reduce((s, c) => s + c.persons, 0));
    const bySources = Object.values(overview.by_source).reduce((s, n) => s + n, 0);
    expect(bySources - overview.persons).toBe(10 * 2 + 50 + 30 + 20);
    expect(demoPersonKey(0)).toMatch(/^[0-9a-f]{64}$/);
  });
});
