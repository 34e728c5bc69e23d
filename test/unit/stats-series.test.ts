// The printed series with their sources, the series file format and the trend merge.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mergeTrend, publishedSeriesFromRk2025, SeriesFile } from '../../src/stats/series.ts';
import { computeReport } from '../../src/stats/engine.ts';
import { shippedSeries } from '../../src/stats/series-store.ts';

const rk2025 = JSON.parse(fs.readFileSync(new URL('../fixtures/rk-2025-printed.json', import.meta.url), 'utf8'));

describe('publishedSeriesFromRk2025', () => {
  const rows = publishedSeriesFromRk2025(rk2025);
  const find = (year: number, measure: string) => rows.find((r) => r.year === year && r.measure === measure);

  it('reads every printed figure once, with the document and table it was printed in', () => {
    // adults 4 + total 4 + sexual 5 + labour 5 + children 5 + related_children 4 + women 3 + men 3
    expect(rows).toHaveLength(33);
    expect(find(2018, 'adults')).toEqual({ year: 2018, measure: 'adults', value: 205, source_document: 'rk-kanda-fall-2021.txt', source_table: 'Stor ökning inom människoexploatering (text)' });
    expect(find(2021, 'total')).toEqual({ year: 2021, measure: 'total', value: 490, source_document: 'jamy-rapport-2024-3.txt', source_table: 'Tabell 1' });
    expect(find(2022, 'women')).toEqual({ year: 2022, measure: 'women', value: 192, source_document: 'jamy-rapport-2024-3.txt', source_table: 'Tabell 2' });
    expect(find(2023, 'men')?.value).toBe(139);
    expect(find(2021, 'related_children')).toMatchObject({ value: 172, source_document: 'rk-kanda-fall-2021.txt' });
    expect(find(2024, 'labour')).toMatchObject({ value: 233, source_document: 'rk-statistik-2025.txt' });
    expect(find(2025, 'total')).toMatchObject({ value: 481, source_document: 'rk-statistik-2025.txt', source_table: 'Sammanfattning' });
  });

  it('leaves out years without a printed figure instead of writing 0', () => {
    expect(find(2024, 'total')).toBeUndefined();
    expect(find(2022, 'related_children')).toBeUndefined();
    expect(rows.every((r) => r.value > 0)).toBe(true);
  });

  it('is ordered by year, then measure', () => {
    expect(rows.map((r) => r.year)).toEqual([...rows.map((r) => r.year)].sort((a, b) => a - b));
    expect(rows.filter((r) => r.year === 2021).map((r) => r.measure)).toEqual(['total', 'adults', 'labour', 'sexual', 'children', 'related_children', 'women', 'men']);
  });
});

describe('the printed figures the project carries', () => {
  const shipped = JSON.parse(fs.readFileSync(new URL('../../src/stats/data/printed-series.json', import.meta.url), 'utf8'));

  it('name the report they were printed in', () => {
    expect(rk2025.source).toMatchObject({
      title: 'Regionkoordinatorernas statistik om människohandel och människoexploatering 2025',
      publisher: expect.stringContaining('Jämställdhetsmyndigheten'),
      year: 2025,
    });
  });

  it('ship the same series as the printed report states', () => {
    const { about: _a, ...printed } = rk2025.trend_published;
    const { about: _b, ...carried } = shipped.trend_published;
    expect(carried).toEqual(printed);
    expect(shippedSeries()).toEqual(publishedSeriesFromRk2025(rk2025));
  });

  it('name every document a shipped figure cites, in full', () => {
    const cited = new Set(shippedSeries().map((r) => r.source_document));
    expect([...cited].sort()).toEqual(Object.keys(shipped.documents).sort());
    for (const doc of cited) expect(shipped.documents[doc]).toMatch(/Jämställdhetsmyndigheten/);
  });
});

describe('the series file', () => {
  const row = { year: 2021, measure: 'total', value: 490, source_document: 'jamy-rapport-2024-3.txt', source_table: 'Tabell 1' };
  it('accepts a valid file and the shipped figures in that form', () => {
    expect(SeriesFile.safeParse({ format: 'lagesbild-series/1', rows: [row] }).success).toBe(true);
    expect(SeriesFile.safeParse({ format: 'lagesbild-series/1', rows: publishedSeriesFromRk2025(rk2025) }).success).toBe(true);
  });
  it.each([
    ['a repeated year and measure', { format: 'lagesbild-series/1', rows: [row, { ...row, value: 1 }] }],
    ['a negative value', { format: 'lagesbild-series/1', rows: [{ ...row, value: -1 }] }],
    ['a fractional value', { format: 'lagesbild-series/1', rows: [{ ...row, value: 1.5 }] }],
    ['an unknown measure', { format: 'lagesbild-series/1', rows: [{ ...row, measure: 'victims' }] }],
    ['a missing source', { format: 'lagesbild-series/1', rows: [{ ...row, source_table: '' }] }],
    ['another format', { format: 'other/1', rows: [row] }],
  ])('rejects %s', (_, file) => {
    expect(SeriesFile.safeParse(file).success).toBe(false);
  });
});

describe('mergeTrend', () => {
  const printed = publishedSeriesFromRk2025(rk2025);
  const release2025 = { total: 481, adults: 464, labour: 325, sexual: 81, children: 17 };
  const release2023 = { total: 400, adults: 370, labour: 190, sexual: 180, children: 30 };
  const points = mergeTrend(new Map([[2025, release2025], [2023, release2023]]), printed);
  const at = (year: number) => points.filter((p) => p.year === year);

  it('takes a year from its release where one exists, and says so', () => {
    expect(at(2023)).toEqual([
      { year: 2023, measure: 'total', count: 400, source: 'release' },
      { year: 2023, measure: 'adults', count: 370, source: 'release' },
      { year: 2023, measure: 'labour', count: 190, source: 'release' },
      { year: 2023, measure: 'sexual', count: 180, source: 'release' },
      { year: 2023, measure: 'children', count: 30, source: 'release' },
    ]);
    expect(at(2025).every((p) => p.source === 'release')).toBe(true);
  });

  it('takes other years from the printed series, and a year with no figure is absent', () => {
    expect(at(2024)).toEqual([
      { year: 2024, measure: 'labour', count: 233, source: 'published' },
      { year: 2024, measure: 'sexual', count: 166, source: 'published' },
      { year: 2024, measure: 'children', count: 22, source: 'published' },
      { year: 2024, measure: 'related_children', count: 44, source: 'published' },
    ]);
    expect(at(2018)).toEqual([{ year: 2018, measure: 'adults', count: 205, source: 'published' }]);
    expect(at(2017)).toEqual([]);
    expect(points.map((p) => p.year)).toEqual([...points.map((p) => p.year)].sort((a, b) => a - b));
  });

  it('becomes the trend table of a report', () => {
    const report = computeReport({ year: 2025, cases: [], release: { id: null, kind: 'live' }, trend: points });
    const trend = report.tables.find((t) => t.id === 'trend')!;
    expect(trend.rows).toHaveLength(points.length);
    expect(trend.rows[0]).toEqual({ year: 2018, measure: 'adults', source: 'published', count: 205 });
    expect(trend.n_answered).toBe(new Set(points.map((p) => p.year)).size);
  });
});
