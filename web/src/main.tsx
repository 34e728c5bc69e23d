import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@digdir/designsystemet-css';
import '@digdir/designsystemet-css/theme';
import './styles.css';
import { initI18n } from './i18n.ts';
import { matchRoute } from './router.tsx';
import { SessionProvider } from './session.tsx';
import { App } from './App.tsx';

initI18n(matchRoute(location.pathname).lang ?? (document.documentElement.lang === 'en' ? 'en' : 'sv'));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <App />
    </SessionProvider>
  </StrictMode>,
);
