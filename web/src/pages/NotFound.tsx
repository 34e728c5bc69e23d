import { Link, Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { AppLink, publicPaths } from '../router.tsx';
import { PageHeading, useTitle } from '../layout.tsx';
import type { Lang } from '../i18n.ts';

export function NotFound() {
  const { t, i18n } = useTranslation();
  useTitle(t('notFound.title'));
  return (
    <>
      <PageHeading>{t('notFound.title')}</PageHeading>
      <Paragraph>{t('notFound.text')}</Paragraph>
      <Link asChild>
        <AppLink href={publicPaths.home[i18n.language as Lang]}>{t('notFound.home')}</AppLink>
      </Link>
    </>
  );
}
