// Where to get help: written from the police's public page (seeds/polisen-manniskohandel.txt), in our own words.
import { Card, Heading, Link, List, Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { PageHeading, useTitle } from '../layout.tsx';

const lines = ['kvinnofrid', 'brottsoffer', 'mansjouren', 'trans'] as const;
const tel = (phone: string) => `tel:${phone.replace(/[^0-9+]/g, '')}`;

export function Help() {
  const { t } = useTranslation();
  useTitle(t('help.title'));
  const prepare = t('help.prepareItems', { returnObjects: true }) as string[];
  return (
    <>
      <PageHeading>{t('help.title')}</PageHeading>
      <Paragraph className="lead">{t('help.lead')}</Paragraph>

      <section aria-labelledby="h-emergency">
        <Card data-color="danger">
          <Heading level={2} data-size="sm" id="h-emergency">
            {t('help.emergencyTitle')}
          </Heading>
          <Paragraph className="emergency">
            <Link href="tel:112" aria-label={t('help.callLabel', { name: 'SOS Alarm', phone: '112' })}>
              <strong>112</strong>
            </Link>{' '}
            – {t('help.emergency')}
          </Paragraph>
        </Card>
      </section>

      <section aria-labelledby="h-report">
        <Heading level={2} data-size="sm" id="h-report">
          {t('help.reportTitle')}
        </Heading>
        <Paragraph>{t('help.report')}</Paragraph>
        <Paragraph>{t('help.prepare')}:</Paragraph>
        <List.Unordered>
          {prepare.map((p) => (
            <List.Item key={p}>{p}</List.Item>
          ))}
        </List.Unordered>
      </section>

      <section aria-labelledby="h-support">
        <Heading level={2} data-size="sm" id="h-support">
          {t('help.supportTitle')}
        </Heading>
        <div className="help-lines">
          {lines.map((key) => {
            const name = t(`help.lines.${key}.name`);
            const phone = t(`help.lines.${key}.phone`);
            return (
              <Card key={key} data-color="neutral">
                <Heading level={3} data-size="xs">
                  {name}
                </Heading>
                <Paragraph className="phone">
                  <Link href={tel(phone)} aria-label={t('help.callLabel', { name, phone })}>
                    {phone}
                  </Link>
                </Paragraph>
                <Paragraph data-size="sm">{t(`help.lines.${key}.text`)}</Paragraph>
              </Card>
            );
          })}
        </div>
        <div className="two-col">
          <div>
            <Heading level={3} data-size="xs">
              {t('help.socialTitle')}
            </Heading>
            <Paragraph>{t('help.social')}</Paragraph>
          </div>
          <div>
            <Heading level={3} data-size="xs">
              {t('help.childrenTitle')}
            </Heading>
            <Paragraph>{t('help.children')}</Paragraph>
          </div>
          <div>
            <Heading level={3} data-size="xs">
              {t('help.migrationTitle')}
            </Heading>
            <Paragraph>{t('help.migration')}</Paragraph>
          </div>
        </div>
      </section>

      <section aria-labelledby="h-what">
        <Heading level={2} data-size="sm" id="h-what">
          {t('help.whatTitle')}
        </Heading>
        <Paragraph>{t('help.trafficking')}</Paragraph>
        <Paragraph>{t('help.exploitation')}</Paragraph>
        <Heading level={3} data-size="xs">
          {t('help.signsTitle')}
        </Heading>
        <Paragraph>{t('help.signs')}</Paragraph>
      </section>

      <section aria-labelledby="h-pro">
        <Heading level={2} data-size="sm" id="h-pro">
          {t('help.proTitle')}
        </Heading>
        <Paragraph>
          {t('help.pro')}{' '}
          <Link href={tel(t('help.proPhone'))}>{t('help.proPhone')}</Link>.
        </Paragraph>
      </section>
    </>
  );
}
