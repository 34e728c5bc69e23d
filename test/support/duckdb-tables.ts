// An independent computation of the report's tables: the same rows in DuckDB (in memory) and
// each table as one SQL query. Used by the engine-vs-SQL test and as the benchmark's baseline.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { StatsCase } from '../../src/stats/cube.ts';
import type { ReportRow, ReportSettings, ReportTable, TableId } from '../../src/stats/report-types.ts';

export type DuckDb = { conn: DuckDBConnection; close: () => void };

/** An in-memory DuckDB with an empty `cases` table. */
export async function openDuckDb(options: Record<string, string> = {}): Promise<DuckDb> {
  const instance = await DuckDBInstance.create(':memory:', options);
  const conn = await instance.connect();
  await conn.run(`CREATE TABLE cases (
    source VARCHAR, status VARCHAR, identified_on VARCHAR, region VARCHAR, crime_type VARCHAR,
    sex VARCHAR, age_group VARCHAR, forms VARCHAR[], industries VARCHAR[], nationality VARCHAR,
    referred_by VARCHAR, workplace_inspection BOOLEAN, related_children VARCHAR[])`);
  return {
    conn,
    close: () => {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

let loads = 0;

/**
 * Adds cases to the `cases` table through a temporary CSV file (codes hold no commas, quotes or
 * semicolons; lists are `;`-joined, related children `location:age_band`). DuckDB's CSV reader
 * is much faster than appending a million rows value by value.
 */
export async function loadCases(db: DuckDb, cases: readonly StatsCase[]): Promise<void> {
  if (cases.length === 0) return;
  const file = path.join(os.tmpdir(), `lagesbild-duckdb-${process.pid}-${loads++}.csv`);
  const v = (x: string | boolean | null | undefined) => (x == null ? '' : String(x));
  try {
    fs.writeFileSync(file, '');
    for (let from = 0; from < cases.length; from += 50_000) {
      const lines: string[] = [];
      for (const k of cases.slice(from, from + 50_000))
        lines.push(
          [
            k.source,
            v(k.status),
            k.identified_on,
            v(k.region),
            v(k.crime_type),
            k.sex,
            k.age_group,
            k.exploitation_forms.join(';'),
            k.industries.join(';'),
            v(k.nationality),
            v(k.referred_by),
            v(k.workplace_inspection),
            k.related_children.map((ch) => `${ch.location}:${ch.age_band}`).join(';'),
          ].join(','),
        );
      fs.appendFileSync(file, lines.join('\n') + '\n');
    }
    const list = (col: string) => `CASE WHEN ${col} IS NULL THEN []::VARCHAR[] ELSE string_split(${col}, ';') END`;
    await db.conn.run(`INSERT INTO cases SELECT source, status, identified_on, region, crime_type, sex, age_group,
        ${list('forms')}, ${list('industries')}, nationality, referred_by, workplace_inspection, ${list('related_children')}
      FROM read_csv('${file}', header = false, delim = ',', quote = '', escape = '', nullstr = '', columns = {
        'source': 'VARCHAR', 'status': 'VARCHAR', 'identified_on': 'VARCHAR', 'region': 'VARCHAR', 'crime_type': 'VARCHAR',
        'sex': 'VARCHAR', 'age_group': 'VARCHAR', 'forms': 'VARCHAR', 'industries': 'VARCHAR', 'nationality': 'VARCHAR',
        'referred_by': 'VARCHAR', 'workplace_inspection': 'BOOLEAN', 'related_children': 'VARCHAR'})`);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

const pct = (c: string) => `((200 * ${c} + (SELECT n FROM total)) // (2 * (SELECT n FROM total)))::INTEGER`;

/** The SQL of each table: `rows` gives its cells, `n` its n_answered and n_missing. */
function queries(includeRegion: boolean): { id: TableId; rows: string; n: string }[] {
  const all = `SELECT count(*)::INTEGER AS answered, 0 AS missing FROM counted`;
  const missing = (population: string, cond: string) =>
    `SELECT count(*) FILTER (WHERE NOT (${cond}))::INTEGER AS answered, count(*) FILTER (WHERE ${cond})::INTEGER AS missing FROM counted WHERE ${population}`;
  const labour = `list_contains(forms, 'labour')`;
  const knownIndustry = `len(list_distinct(industries)) > CASE WHEN list_contains(industries, 'unknown') THEN 1 ELSE 0 END`;
  // unnest in the select list: much faster in DuckDB than a lateral join with unnest.
  const industryRows = (where: string) => `SELECT ind AS industry, sex, count(*)::INTEGER AS count FROM (
      SELECT unnest(CASE WHEN len(industries) = 0 THEN ['unknown'] ELSE list_distinct(industries) END) AS ind, sex
      FROM counted WHERE ${where}) GROUP BY ind, sex`;
  const nationalityRank = `SELECT nat, count(*) AS c, rank() OVER (ORDER BY count(*) DESC) AS rk FROM counted WHERE nat <> 'unknown' GROUP BY nat`;
  const q: { id: TableId; rows: string; n: string }[] = [
    {
      id: 'totals',
      rows: `SELECT 'all' AS dimension, 'all' AS code, count(*)::INTEGER AS count FROM counted
        UNION ALL SELECT 'crime_type', crime, count(*)::INTEGER FROM counted GROUP BY crime
        UNION ALL SELECT 'group', grp, count(*)::INTEGER FROM counted GROUP BY grp
        UNION ALL SELECT 'age_group', age_group, count(*)::INTEGER FROM counted GROUP BY age_group`,
      n: all,
    },
    {
      id: 'category',
      rows: `SELECT category, count(*)::INTEGER AS count, ${pct('count(*)')} AS percent FROM counted GROUP BY category`,
      n: missing('true', `category = 'unknown'`),
    },
    {
      id: 'form_by_group',
      rows: `SELECT category, grp AS "group", count(*)::INTEGER AS count FROM counted GROUP BY category, grp`,
      n: missing('true', `category = 'unknown' OR grp IN ('unknown', 'age_unknown')`),
    },
    {
      id: 'crime_by_group',
      rows: `SELECT crime AS crime_type, grp AS "group", count(*)::INTEGER AS count FROM counted GROUP BY crime, grp`,
      n: missing('true', `crime = 'unknown' OR grp IN ('unknown', 'age_unknown')`),
    },
    {
      id: 'form_by_crime',
      rows: `SELECT category, crime AS crime_type, count(*)::INTEGER AS count FROM counted GROUP BY category, crime`,
      n: missing('true', `category = 'unknown' OR crime = 'unknown'`),
    },
    {
      id: 'multiple_combinations',
      rows: `SELECT combination, sex, count(*)::INTEGER AS count FROM counted WHERE category = 'multiple' GROUP BY combination, sex`,
      n: missing(`category = 'multiple'`, `sex = 'unknown'`),
    },
    { id: 'industry_by_sex', rows: industryRows(labour), n: missing(labour, `NOT (${knownIndustry}) OR sex = 'unknown'`) },
    {
      id: 'multiple_industry_by_sex',
      rows: industryRows(`${labour} AND category = 'multiple'`),
      n: missing(`${labour} AND category = 'multiple'`, `NOT (${knownIndustry}) OR sex = 'unknown'`),
    },
    {
      id: 'children_by_form',
      rows: `SELECT category, sex, count(*)::INTEGER AS count FROM counted WHERE age_group = 'child' GROUP BY category, sex`,
      n: missing(`age_group = 'child'`, `category = 'unknown' OR sex = 'unknown'`),
    },
    {
      id: 'referrer',
      rows: `SELECT referrer AS referred_by, count(*)::INTEGER AS count, ${pct('count(*)')} AS percent FROM counted GROUP BY referrer ORDER BY count DESC`,
      n: missing('true', `referrer = 'unknown'`),
    },
    {
      id: 'nationality',
      rows: `SELECT nat AS nationality, count(*)::INTEGER AS count FROM counted GROUP BY nat ORDER BY count DESC`,
      n: missing('true', `nat = 'unknown'`),
    },
    {
      id: 'nationality_top',
      rows: `SELECT nat AS nationality, c::INTEGER AS count FROM (${nationalityRank}) WHERE rk <= 10 ORDER BY c DESC, nat`,
      n: missing('true', `nat = 'unknown'`),
    },
    {
      id: 'nationality_top3_by_form',
      rows: `SELECT nat AS nationality, category, count(*)::INTEGER AS count FROM counted
        WHERE nat IN (SELECT nat FROM (${nationalityRank}) WHERE rk <= 3) GROUP BY nat, category`,
      n: missing(`nat IN (SELECT nat FROM (${nationalityRank}) WHERE rk <= 3)`, `category = 'unknown'`),
    },
    {
      id: 'related_children',
      rows: `SELECT split_part(ch, ':', 1) AS location, split_part(ch, ':', 2) AS age_band, count(*)::INTEGER AS count
        FROM (SELECT unnest(related_children) AS ch FROM counted) GROUP BY ALL`,
      n: `SELECT count(*) FILTER (WHERE NOT ch LIKE '%:unknown')::INTEGER AS answered, count(*) FILTER (WHERE ch LIKE '%:unknown')::INTEGER AS missing
        FROM (SELECT unnest(related_children) AS ch FROM counted)`,
    },
    {
      id: 'workplace_inspection',
      rows: `SELECT category, count(*)::INTEGER AS count FROM counted WHERE workplace_inspection GROUP BY category`,
      n: missing('true', `workplace_inspection IS NULL`),
    },
  ];
  if (includeRegion)
    q.push({
      id: 'region',
      rows: `SELECT reg AS region, category, count(*)::INTEGER AS count FROM counted GROUP BY reg, category`,
      n: missing('true', `reg = 'unknown' OR category = 'unknown'`),
    });
  return q;
}

/** The counted cases of a year with their derived fields, as the temp table `counted` (and `total`). */
export async function prepareCounted(db: DuckDb, year: number, settings: ReportSettings): Promise<void> {
  const fold = settings.unknown_age_as_adult ? 'TRUE' : 'FALSE';
  await db.conn.run(`CREATE OR REPLACE TEMP TABLE counted AS
    SELECT * EXCLUDE (nf),
      CASE nf WHEN 0 THEN 'unknown' WHEN 1 THEN forms[1] ELSE 'multiple' END AS category,
      CASE WHEN nf >= 2 THEN array_to_string(list_sort(list_distinct(forms)), '+') END AS combination,
      CASE WHEN sex = 'other' THEN 'other' WHEN sex = 'unknown' THEN 'unknown'
           WHEN age_group = 'child' THEN CASE sex WHEN 'female' THEN 'girl' ELSE 'boy' END
           WHEN age_group = 'adult' OR ${fold} THEN CASE sex WHEN 'female' THEN 'woman' ELSE 'man' END
           ELSE 'age_unknown' END AS grp,
      coalesce(crime_type, 'unknown') AS crime,
      coalesce(referred_by, 'unknown') AS referrer,
      coalesce(nationality, 'unknown') AS nat,
      coalesce(region, 'unknown') AS reg
    FROM (SELECT *, len(list_distinct(forms)) AS nf FROM cases
          WHERE source = 'coordinator' AND status IS DISTINCT FROM 'withdrawn' AND substr(identified_on, 1, 4) = '${Math.trunc(year)}')`);
  await db.conn.run(`CREATE OR REPLACE TEMP TABLE total AS SELECT count(*)::BIGINT AS n FROM counted`);
}

/**
 * Every table (and this year's trend) computed in SQL from the `cases` table; with `prepared`,
 * from a `counted` table that prepareCounted already made for the same year and settings.
 */
export async function duckdbTables(
  db: DuckDb,
  year: number,
  settings: ReportSettings,
  options: { includeRegion?: boolean; prepared?: boolean } = {},
): Promise<ReportTable[]> {
  const fold = settings.unknown_age_as_adult ? 'TRUE' : 'FALSE';
  if (!options.prepared) await prepareCounted(db, year, settings);
  const tables: ReportTable[] = [];
  for (const q of queries(options.includeRegion ?? false)) {
    const rows = (await db.conn.runAndReadAll(q.rows)).getRowObjectsJS() as ReportRow[];
    const [n] = (await db.conn.runAndReadAll(q.n)).getRowObjectsJS() as { answered: number; missing: number }[];
    tables.push({ id: q.id, n_answered: n.answered, n_missing: n.missing, rows });
  }
  const [t] = (
    await db.conn.runAndReadAll(`SELECT count(*)::INTEGER AS total,
      (count(*) FILTER (WHERE age_group = 'adult' OR (age_group = 'unknown' AND ${fold})))::INTEGER AS adults,
      (count(*) FILTER (WHERE category = 'labour'))::INTEGER AS labour,
      (count(*) FILTER (WHERE category = 'sexual'))::INTEGER AS sexual,
      (count(*) FILTER (WHERE age_group = 'child'))::INTEGER AS children FROM counted`)
  ).getRowObjectsJS() as Record<string, number>[];
  tables.push({
    id: 'trend',
    n_answered: 1,
    n_missing: 0,
    rows: Object.entries(t).map(([measure, count]) => ({ year, measure, source: 'release', count })),
  });
  return tables;
}
