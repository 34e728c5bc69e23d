// Page-level helpers shared by every page: the heading that receives focus, the title, the live region.
import { createContext, Fragment, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { Heading } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { hyphenate, SHY } from '../../src/publish/hyphenate.ts';

export function PageHeading({ children }: { children: ReactNode }) {
  return (
    <Heading level={1} data-size="lg" id="main-heading" tabIndex={-1}>
      {typeof children === 'string' ? <Hyphenated text={children} /> : children}
    </Heading>
  );
}

/**
 * A heading's text, free to break at the joints of its long compounds (hyphenate) with a visible
 * hyphen. The soft hyphen comes from the stylesheet (.shy), not the text: the heading's text, its
 * accessible name and what a reader copies stay the plain words.
 */
export function Hyphenated({ text }: { text: string }) {
  return hyphenate(text)
    .split(SHY)
    .map((part, i) => (
      <Fragment key={i}>
        {i > 0 && <span className="shy" />}
        {part}
      </Fragment>
    ));
}

export function useTitle(title: string) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = title ? `${title} – ${t('app.name')}` : t('app.name');
  }, [title, t]);
}

type Ui = { announce: (text: string) => void; setDemo: (demo: boolean) => void };
export const UiContext = createContext<Ui>({ announce: () => undefined, setDemo: () => undefined });
export const useUi = () => useContext(UiContext);

/** A polite live region; the same text twice is announced twice. */
export function useAnnouncer() {
  const [text, setText] = useState('');
  const n = useRef(0);
  const announce = useCallback((t: string) => {
    n.current += 1;
    setText('');
    setTimeout(() => setText(t + (n.current % 2 ? '' : '\u00a0')), 50);
  }, []);
  const region = (
    <div aria-live="polite" aria-atomic="true" className="ds-sr-only" data-testid="announcer">
      {text}
    </div>
  );
  return { announce, region };
}

export function formatNumber(n: number, lang: string) {
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'sv-SE').format(n);
}

export function formatDateTime(iso: string, lang: string) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(lang === 'en' ? 'en-GB' : 'sv-SE', { dateStyle: 'medium', timeStyle: 'short' });
}
