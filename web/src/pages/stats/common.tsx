// What the statistician's pages share: the release shapes from the API, a refusal when the session's
// abilities do not allow a page, and case references (the API gives case ids) as links to the case page.
import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { AppLink } from '../../router.tsx';
import { useCan } from '../../session.tsx';

export type { Release, ReleaseComparison, YearQuality } from '../../../../src/contract/index.ts';

/** Shows the page only when the session allows every one of `abilities`. */
export function Allowed({ abilities, children }: { abilities: string[]; children: ReactNode }) {
  const { t } = useTranslation();
  const can = useCan();
  if (abilities.every((a) => can(a))) return <>{children}</>;
  return (
    <Alert data-color="warning" role="alert">
      <Paragraph>{t('statistician.forbidden')}</Paragraph>
    </Alert>
  );
}

type CaseItem = { id: string; reference: string };
const pageSize = 500;
const maxPages = 20;

/**
 * Case id → reference for the cases of the given years, from the case list (the comparison and the
 * duplicate groups name cases by id). Ids it cannot find keep their id as the link text.
 */
export function useCaseReferences(years: number[], ids: string[]): Map<string, string> {
  const [refs, setRefs] = useState<Map<string, string>>(new Map());
  const yearsKey = [...new Set(years)].sort().join(',');
  const idsKey = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    if (!idsKey || !yearsKey) return;
    let live = true;
    const wanted = new Set(idsKey.split(','));
    const found = new Map<string, string>();
    (async () => {
      for (const year of yearsKey.split(',')) {
        for (let page = 1; page <= maxPages && found.size < wanted.size; page++) {
          const q = new URLSearchParams({ year, page: String(page), pageSize: String(pageSize) });
          const data = await api<{ items: CaseItem[]; total: number }>(`/api/cases?${q}`);
          for (const c of data.items) if (wanted.has(c.id)) found.set(c.id, c.reference);
          if (page * pageSize >= data.total) break;
        }
      }
    })().then(
      () => live && setRefs(found),
      () => live && setRefs(found),
    );
    return () => {
      live = false;
    };
  }, [yearsKey, idsKey]);
  return refs;
}

export function caseHref(id: string) {
  return `/arenden/${encodeURIComponent(id)}`;
}

/** The cases as links to their pages, in a list; long lists are cut with "and N more". */
export function CaseLinks({ ids, refs, label, limit = 200 }: { ids: string[]; refs: Map<string, string>; label: string; limit?: number }) {
  const { t } = useTranslation();
  const shown = ids.slice(0, limit);
  return (
    <>
      <ul className="case-refs" aria-label={label}>
        {shown.map((id) => (
          <li key={id}>
            <AppLink href={caseHref(id)}>{refs.get(id) ?? id}</AppLink>
          </li>
        ))}
      </ul>
      {ids.length > shown.length && <Paragraph data-size="sm">{t('statistician.compare.more', { count: ids.length - shown.length })}</Paragraph>}
    </>
  );
}

export function checksumPrefix(checksum: string) {
  return checksum.slice(0, 12);
}

/** The years a statistician may choose: 2018 up to this year, newest first. */
export function yearChoices(): number[] {
  const now = new Date().getFullYear();
  return Array.from({ length: now - 2018 + 1 }, (_, i) => now - i);
}
