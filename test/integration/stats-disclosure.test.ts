// Disclosure control of what the public reads: the demo's 2025 release is published protected,
// and signed out, no statistics answer (JSON, CSV, XLSX, PDF, charts) prints a count 1 … n−1, a
// user id or a case id; every suppressed unsafe cell keeps the policy's width against the
// attacker's audit; a figure printed in two tables has one status. The statistician reads both
// forms and sets the policy before publishing (not after), with an audit row.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/access/actor.ts';
import { seedDemo } from '../../src/cli/stats.ts';
import { catalogue, tableWith } from '../../src/stats/catalogue.ts';
import type { StoredProtection } from '../../src/stats/protection.ts';
import { freezeRelease } from '../../src/stats/releases.ts';
import type { PublishedReport, PublishedRow } from '../../src/stats/report-types.ts';
import { releases } from '../../src/stats/schema.ts';
import { rows } from '../../src/store/db.ts';
import { dbTargets } from '../support/db.ts';
import { json, openTestApp, type Client, type TestApp } from '../support/http.ts';

const THRESHOLD = 3;
const small = (v: unknown) => typeof v === 'number' && v >= 1 && v < THRESHOLD;

describe.each(dbTargets())('disclosure control on %s', (target) => {
  let t: TestApp;
  let statistician: Client;
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  beforeAll(async () => {
    t = await openTestApp(target);
    await seedDemo(t.database.db);
    statistician = await t.as({ role: 'statistician' });
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  /** Every published figure of a protected report that a small count would show in. */
  function smallFigures(report: PublishedReport): string[] {
    const exact = new Set(Object.keys(report.disclosure?.exact ?? {}));
    const out: string[] = [];
    for (const table of report.tables) {
      if (exact.has(table.id)) continue;
      for (const r of [...table.rows, ...(table.totals ?? [])]) if (small(r.count)) out.push(`${table.id} ${JSON.stringify(r)}`);
      // The trend's "answered" is its number of years, not persons.
      if (table.id !== tableWith('years') && (small(table.n_answered) || small(table.n_missing))) out.push(`${table.id} answered/missing`);
    }
    for (const q of report.quality) if (small(q.count)) out.push(`quality ${q.id}`);
    return out;
  }

  it('publishes the demo protected: every public JSON answer has no count 1 … n−1, no user id, no case id', async () => {
    const page = json(await get('/api/stats/public?lang=sv'));
    const report = page.report as PublishedReport;
    expect(report.disclosure).toMatchObject({ threshold: THRESHOLD, width: 3, policy_version: 1 });
    expect(report.disclosure!.suppressed).toBeGreaterThan(10);
    expect(smallFigures(report)).toEqual([]);
    // Suppressed cells are listed with their status, as are zeros.
    const statuses = new Set(report.tables.flatMap((x) => x.rows.map((r) => r.status)));
    expect(statuses).toEqual(expect.objectContaining({}));
    for (const s of ['safe', 'primary', 'secondary']) expect(statuses.has(s), s).toBe(true);
    expect(report.tables.some((x) => x.rows.some((r) => r.count === 0))).toBe(true);
    for (const x of report.tables) for (const r of x.rows) if (r.status === 'primary' || r.status === 'secondary') expect([r.count, r.percent ?? null]).toEqual([null, null]);
    expect(report.tables.map((x) => x.id)).not.toContain('region');

    const userIds = (await rows<{ id: string }>(t.database.db, sql`select id from users`)).map((u) => u.id);
    const caseIds = (await rows<{ id: string }>(t.database.db, sql`select id from cases`)).map((c) => c.id);
    expect(caseIds.length).toBeGreaterThan(100);
    for (const url of ['/api/stats/public?lang=sv', '/api/stats/public?lang=en', '/api/stats/releases', '/api/stats/report?year=2025', '/api/stats/charts?year=2025&lang=sv', '/api/stats/report/download?year=2025&format=json']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      for (const id of [...userIds, 'seed']) expect(res.body.includes(`"${id}"`), `${url} names the user ${id}`).toBe(false);
      for (const id of caseIds.slice(0, 200)) expect(res.body.includes(id), `${url} names a case`).toBe(false);
    }
    for (const r of json(await get('/api/stats/releases')).items) expect([r.created_by, r.published_by]).toEqual([null, null]);
    const viaReport = json(await get('/api/stats/report?year=2025')) as PublishedReport;
    expect(smallFigures(viaReport)).toEqual([]);
    // The charts' data tables: suppressed as "..", nothing small.
    for (const chart of json(await get('/api/stats/charts?year=2025&lang=sv'))) {
      for (const line of chart.table.body) for (const v of line.slice(1)) if (chart.id !== 'fig2') expect(small(v), `${chart.id} ${JSON.stringify(line)}`).toBe(false);
    }
  });

  it('the CSV, XLSX and PDF downloads print suppressed figures as ".." with the note, and no small count', async () => {
    const csv = await get('/api/stats/report/download?year=2025&format=csv&lang=sv');
    const records = parse(csv.body.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    expect(records.some((r) => r.count === '..')).toBe(true);
    for (const r of records) if (r.table !== tableWith('years')) expect(small(Number(r.count)), JSON.stringify(r)).toBe(false);

    const xlsx = await get('/api/stats/report/download?year=2025&format=xlsx&lang=sv');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    let dots = 0;
    const percentHeading = 'Andel (%)';
    for (const ws of wb.worksheets.slice(1)) {
      const head = (ws.getRow(4).values as unknown[]).map(String);
      const skip = new Set(head.flatMap((h, i) => (h === percentHeading || h === 'År' ? [i] : [])));
      ws.eachRow((row, n) => {
        if (n <= 4) return;
        (row.values as unknown[]).forEach((v, i) => {
          if (v === '..') dots++;
          if (!skip.has(i)) expect(small(v), `${ws.name} row ${n}: ${JSON.stringify(row.values)}`).toBe(false);
        });
      });
    }
    expect(dots).toBeGreaterThan(10);
    const about = wb.worksheets[0];
    const aboutText: string[] = [];
    about.eachRow((row) => aboutText.push((row.values as unknown[]).join(' ')));
    expect(aboutText.join('\n')).toMatch(/\d+ celler undertryckta/);

    const pdf = await get('/api/stats/report/download?year=2025&format=pdf&lang=sv');
    expect(pdf.statusCode).toBe(200);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lagesbild-pdf-'));
    try {
      const file = path.join(dir, 'r.pdf');
      fs.writeFileSync(file, pdf.rawPayload);
      let text: string;
      try {
        text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      } catch {
        return; // no pdftotext here: the JSON and the workbook above carry the same figures
      }
      expect(text).toContain('..');
      expect(text).toContain('röjandeskyddat');
      expect(text).toMatch(/\d+ celler undertryckta/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stores the audit: every suppressed unsafe cell keeps the width; a figure printed in two tables has one status', async () => {
    const [row] = await t.database.db.select({ protection: releases.protection }).from(releases).where(eq(releases.id, '2025-1'));
    const p = row.protection as StoredProtection;
    expect(p.audit.passed).toBe(true);
    const unsafe = p.audit.cells.filter((c) => c.unsafe);
    expect(unsafe.length).toBeGreaterThan(10);
    for (const c of unsafe) expect((c.hi ?? Infinity) - c.lo, c.id).toBeGreaterThanOrEqual(p.policy.width);
    for (const [id, status] of Object.entries(p.status)) if (status === 'primary') expect(p.audit.cells.some((c) => c.id === id), id).toBe(true);

    // The forms table's rows are the row totals of the cross tables that sum to it (the catalogue says which).
    const report = json(await get('/api/stats/report?year=2025')) as PublishedReport;
    const forms = tableWith('forms');
    const formRows = report.tables.find((x) => x.id === forms)!.rows;
    const summing = catalogue.filter((s) => !s.internal && s.column && s.relations.some((r) => r.kind === 'sum' && r.table === forms && r.cells.by === 'category'));
    expect(summing.length).toBeGreaterThanOrEqual(2);
    for (const spec of summing) {
      const totals = report.tables.find((x) => x.id === spec.id)!.totals!;
      for (const r of formRows) {
        const total = totals.find((x: PublishedRow) => x.category === r.category && Object.keys(x).length === 3);
        expect(total && [total.count, total.status], `${spec.id} ${r.category}`).toEqual([r.count, r.status]);
      }
    }
  });

  it('the statistician reads the exact and the protected form; the policy is set before publishing only, with an audit row', async () => {
    const exact = json(await statistician.inject({ url: '/api/stats/report?year=2025&release=2025-1' }));
    expect(exact.disclosure).toBeUndefined();
    expect(exact.tables.some((x: { rows: PublishedRow[] }) => x.rows.some((r) => small(r.count)))).toBe(true);
    const prot = json(await statistician.inject({ url: '/api/stats/report?year=2025&release=2025-1&form=protected' }));
    expect(prot).toEqual(json(await get('/api/stats/report?year=2025')));

    const published = await statistician.inject({ method: 'PUT', url: '/api/stats/releases/2025-1/policy', payload: { threshold: 5 } });
    expect(published.statusCode).toBe(409);
    const r = await freezeRelease(t.database.db, systemActor('test'), { year: 2025, kind: 'final' });
    const bad = await statistician.inject({ method: 'PUT', url: `/api/stats/releases/${r.id}/policy`, payload: { exact: { [tableWith('forms')]: '  ' } }, headers: { 'accept-language': 'en' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('exact');
    const internal = catalogue.find((s) => s.internal)!.id;
    const hidden = await statistician.inject({ method: 'PUT', url: `/api/stats/releases/${r.id}/policy`, payload: { public_tables: [internal] } });
    expect(hidden.statusCode).toBe(400);
    expect(json(hidden).errors[0]).toMatchObject({ path: 'public_tables.0', rule: 'internal' });

    const reason = 'Tabellen beskriver myndigheter, inte personer.';
    const ok = await statistician.inject({ method: 'PUT', url: `/api/stats/releases/${r.id}/policy`, payload: { threshold: 4, exact: { [tableWith('referrers')]: reason } } });
    expect(ok.statusCode).toBe(200);
    expect(json(ok)).toMatchObject({ version: 2, published: false, policy: { threshold: 4, width: 3, exact: { [tableWith('referrers')]: reason } }, protection: null });
    const trail = await rows<{ details: { policy: { exact: Record<string, string> } } }>(t.database.db, sql`select details from audit_log where operation = 'release.policy'`);
    expect(trail.at(-1)!.details.policy.exact[tableWith('referrers')]).toBe(reason);
  });
});
