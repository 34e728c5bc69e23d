// The parts every public report page opens with, on screen only (print has the document itself):
// its downloads and its contents list, so that the coordinators' report and the source reports
// read alike.
import type { ReactNode } from 'react';
import { Heading, Link } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { Hyphenated } from '../../layout.tsx';

export type DownloadFormat = 'pdf' | 'html' | 'xlsx' | 'csv' | 'json';

/** The report's files, in the order given (nothing when there are none). */
export function Downloads({ links }: { links: { format: DownloadFormat; href: string }[] }) {
  const { t } = useTranslation();
  if (links.length === 0) return null;
  return (
    <section aria-labelledby="h-downloads" className="downloads screen-only" data-testid="downloads">
      <Heading level={2} data-size="xs" id="h-downloads">
        <Hyphenated text={t('stats.downloads')} />
      </Heading>
      <ul className="download-list">
        {links.map(({ format, href }) => (
          <li key={format}>
            <Link href={href} download>
              {t(`stats.format.${format}`)}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The contents list: `children` are its items (links to the page's headings). */
export function Contents({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <nav aria-labelledby="h-contents" className="contents screen-only" data-testid="contents">
      <Heading level={2} data-size="xs" id="h-contents">
        <Hyphenated text={t('stats.contents')} />
      </Heading>
      <ol>{children}</ol>
    </nav>
  );
}
