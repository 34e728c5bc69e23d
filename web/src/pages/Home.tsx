import { Alert, Heading, Link, Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { AppLink, publicPaths, useLocation } from '../router.tsx';
import { PageHeading, useTitle } from '../layout.tsx';
import { useSession } from '../session.tsx';
import type { Lang } from '../i18n.ts';

export function Home() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const { session } = useSession();
  const { search } = useLocation();
  useTitle('');
  return (
    <>
      <PageHeading>{t('home.title')}</PageHeading>
      {search.get('signin_error') && (
        <Alert data-color="danger">
          <Paragraph>{t('signIn.oidcFailed')}</Paragraph>
        </Alert>
      )}
      <Paragraph className="lead">{t('home.lead')}</Paragraph>
      <ul className="link-list">
        <li>
          <Link asChild>
            <AppLink href={publicPaths.statistics[lang]}>{t('home.statsLink')}</AppLink>
          </Link>
        </li>
        <li>
          <Link asChild>
            <AppLink href={publicPaths.help[lang]}>{t('home.helpLink')}</AppLink>
          </Link>
        </li>
      </ul>
      {session.status !== 'signed-in' && (
        <section aria-labelledby="coordinators">
          <Heading level={2} data-size="sm" id="coordinators">
            {t('home.coordinators')}
          </Heading>
          <Paragraph>
            <Link asChild>
              <AppLink href={session.status === 'unavailable' ? '/oversikt' : publicPaths.signIn[lang]}>{t('home.signInLink')}</AppLink>
            </Link>
          </Paragraph>
        </section>
      )}
    </>
  );
}
