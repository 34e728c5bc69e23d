// The coordinators' pages, loaded on demand so the public pages stay small.
import '@digdir/designsystemet-web';
import { Alert, Paragraph, Spinner } from '@digdir/designsystemet-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lang } from '../i18n.ts';
import { navigate, publicPaths, type Route } from '../router.tsx';
import { useCan, useSession } from '../session.tsx';
import { PageHeading, useTitle } from '../layout.tsx';
import { SignIn } from './SignIn.tsx';
import { ResetPasswordPage } from './ResetPassword.tsx';
import { Overview } from './Overview.tsx';
import { PeriodsEnding } from './PeriodsEnding.tsx';
import { CaseList } from './CaseList.tsx';
import { CaseForm } from './CaseForm.tsx';
import { CasePage } from './CasePage.tsx';
import { Import } from './Import.tsx';
import { QualityPage } from './stats/QualityPage.tsx';
import { DuplicatesPage } from './Duplicates.tsx';
import { AuditTrailPage } from './AuditTrail.tsx';
import { ReleasesPage } from './stats/ReleasesPage.tsx';
import { ReleasePreview } from './stats/ReleasePreview.tsx';
import { ComparePage } from './stats/ComparePage.tsx';
import { OrganisationsPage } from './admin/Organisations.tsx';
import { UsersPage } from './admin/Users.tsx';
import { PasswordPage } from './Password.tsx';

export default function Coordinator({ route }: { route: Route }) {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const can = useCan();
  const needsSession = route.page !== 'signIn' && route.page !== 'resetPassword';

  useEffect(() => {
    // The address may already be the sign-in page's (a render of the previous page after the
    // redirect): never send the user to sign in with the sign-in page as where to go next.
    const onSignIn = Object.values(publicPaths.signIn).includes(location.pathname);
    if (needsSession && session.status === 'signed-out' && !onSignIn) {
      const next = location.pathname + location.search;
      navigate(`${publicPaths.signIn[i18n.language as Lang]}?next=${encodeURIComponent(next)}`, { replace: true });
    }
  }, [needsSession, session.status, i18n.language]);

  if (needsSession && (session.status === 'loading' || session.status === 'signed-out')) return <Spinner aria-label={t('loading')} data-size="md" />;

  const page = (() => {
    switch (route.page) {
      case 'signIn':
        return <SignIn />;
      case 'resetPassword':
        return <ResetPasswordPage />;
      case 'overview':
        // A programme officer's start page begins with the NSP periods that end within a week.
        return session.status === 'signed-in' && session.user.role === 'programme_officer' ? (
          <>
            <Overview />
            <PeriodsEnding />
          </>
        ) : (
          <Overview />
        );
      case 'cases':
        return <CaseList />;
      // A form one may not save is never offered: the session's abilities say who registers and changes cases.
      case 'newCase':
        return can('case.create') ? <CaseForm key="new" /> : <NotAllowed />;
      case 'editCase':
        return can('case.update') ? <CaseForm key={route.params.id} id={route.params.id} /> : <NotAllowed />;
      case 'case':
        return <CasePage key={route.params.id} id={route.params.id} />;
      case 'import':
        return <Import />;
      case 'quality':
        return <QualityPage />;
      case 'duplicates':
        return <DuplicatesPage />;
      case 'auditTrail':
        return <AuditTrailPage />;
      case 'releases':
        return <ReleasesPage />;
      case 'release':
        return <ReleasePreview key={route.params.id} id={route.params.id} />;
      case 'compare':
        return <ComparePage />;
      case 'adminOrganisations':
        return <OrganisationsPage />;
      case 'adminUsers':
        return <UsersPage />;
      case 'password':
        return <PasswordPage />;
      default:
        return null;
    }
  })();

  return (
    <>
      {needsSession && session.status === 'unavailable' && (
        <Alert data-color="info" data-size="sm">
          <Paragraph data-size="sm">{t('signIn.noSessionNotice')}</Paragraph>
        </Alert>
      )}
      {page}
    </>
  );
}

/** A page of the app the signed-in role has no use for (e.g. the case form for a statistician). */
function NotAllowed() {
  const { t } = useTranslation();
  useTitle(t('statistician.forbidden'));
  return (
    <>
      <PageHeading>{t('statistician.forbidden')}</PageHeading>
      <Paragraph>{t('cases.notAllowed')}</Paragraph>
    </>
  );
}
