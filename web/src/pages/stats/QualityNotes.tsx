// The data-quality notes with their counts: on the public statistics page (of the published release)
// and on the statistician's quality page (of the live data). The protected form suppresses a small
// count (null), printed as "..".
import { Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { Lang } from '../../i18n.ts';
import type { Report } from '../../report.ts';
import { figure } from '../ReportTables.tsx';

export function QualityNotesTable({ notes, caption, testId }: { notes: Report['quality']; caption: string; testId?: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  return (
    <div className="table-wrap">
      <Table zebra data-size="sm" data-testid={testId}>
        <caption className="ds-sr-only">{caption}</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell scope="col">{t('stats.qualityNote')}</Table.HeaderCell>
            <Table.HeaderCell scope="col" className="num">
              {t('stats.qualityCount')}
            </Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {notes.map((note) => (
            <Table.Row key={note.id} data-note={note.id}>
              <Table.HeaderCell scope="row">{note[lang] ?? note.sv}</Table.HeaderCell>
              <Table.Cell className="num">{figure(note.count, lang)}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
      {notes.some((note) => note.count === null) && <p className="table-note">{t('stats.suppressed')}</p>}
    </div>
  );
}
