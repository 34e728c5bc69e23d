// The NSP's two periods of a support-programme record (data standard 2.2): the rest period
// (betänketid) and the integration period, each a start and an end date, both days included.

/** The longest rest period, in days, both ends included. */
export const REST_PERIOD_MAX_DAYS = 30;
/** The longest integration period, in days, both ends included. */
export const INTEGRATION_PERIOD_MAX_DAYS = 90;

export const periodKinds = ['rest_period', 'integration_period'] as const;
export type PeriodKind = (typeof periodKinds)[number];

export const periodMaxDays: Record<PeriodKind, number> = {
  rest_period: REST_PERIOD_MAX_DAYS,
  integration_period: INTEGRATION_PERIOD_MAX_DAYS,
};

const dayNumber = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;

/** Days from one calendar date (`YYYY-MM-DD`) to another: 0 for the same day, negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** A period's length in days, both the start and the end day counted (the same day is 1). */
export function periodLength(start: string, end: string): number {
  return daysBetween(start, end) + 1;
}

/** The calendar date `days` after `date` (`YYYY-MM-DD`). */
export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * 86_400_000).toISOString().slice(0, 10);
}

type PeriodFields = {
  rest_period_start: string | null;
  rest_period_end: string | null;
  integration_period_start: string | null;
  integration_period_end: string | null;
};

export type EndingPeriod = { period: PeriodKind; end: string; days_left: number };

/**
 * The periods of a record that end from `today` to `within` days after it, both days included
 * (an end today has 0 days left). Periods already ended are not among them.
 */
export function periodsEndingWithin(record: PeriodFields, today: string, within: number): EndingPeriod[] {
  const out: EndingPeriod[] = [];
  for (const period of periodKinds) {
    const end = record[`${period}_end`];
    if (end === null) continue;
    const left = daysBetween(today, end);
    if (left >= 0 && left <= within) out.push({ period, end, days_left: left });
  }
  return out;
}
