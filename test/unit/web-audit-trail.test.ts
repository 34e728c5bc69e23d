// The audit trail page's pure parts: its list of operations is the trail's, each named in both
// languages; its address; a day's start in Stockholm time, winter and summer.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { auditOperations } from '../../src/access/audit.ts';
import { appPaths } from '../../src/http/web.ts';
import { resources } from '../../web/src/i18n.ts';
import { matchRoute } from '../../web/src/router.tsx';
import { auditTrailOperations, stockholmMidnight } from '../../web/src/pages/AuditTrail.tsx';

describe('the audit trail page', () => {
  it('offers every operation the trail records, each with a Swedish and an English name', () => {
    expect([...auditTrailOperations].sort()).toEqual([...auditOperations].sort());
    const names = (lang: 'sv' | 'en') => (resources[lang].translation as { auditTrail: { ops: Record<string, string> } }).auditTrail.ops;
    for (const op of auditOperations) {
      const key = op.replace(/\./g, '_');
      expect(names('sv')[key], op).toMatch(/\S/);
      expect(names('en')[key], op).toMatch(/\S/);
      expect(names('sv')[key]).not.toBe(names('en')[key]);
    }
    expect(Object.keys(names('sv')).sort()).toEqual(Object.keys(names('en')).sort());
    expect(new Set(Object.values(names('sv'))).size).toBe(auditOperations.length);
  });

  it('lives at /granskning, which the server serves', () => {
    expect(matchRoute('/granskning')).toMatchObject({ page: 'auditTrail', public: false });
    expect(appPaths).toContain('/granskning');
  });

  it('starts a day at midnight in Stockholm, in winter and in summer time (property)', () => {
    expect(stockholmMidnight('2025-01-15')).toBe('2025-01-14T23:00:00.000Z');
    expect(stockholmMidnight('2025-07-15')).toBe('2025-07-14T22:00:00.000Z');
    // The days the clocks change: 30 March 2025 begins in winter time, 26 October 2025 in summer time.
    expect(stockholmMidnight('2025-03-30')).toBe('2025-03-29T23:00:00.000Z');
    expect(stockholmMidnight('2025-10-26')).toBe('2025-10-25T22:00:00.000Z');
    const format = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        const day = d.toISOString().slice(0, 10);
        expect(format.format(new Date(stockholmMidnight(day)))).toBe(`${day} 00:00`);
      }),
    );
  });
});
