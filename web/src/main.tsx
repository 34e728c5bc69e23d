import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@digdir/designsystemet-css';
import '@digdir/designsystemet-css/theme';
import './styles.css';
import { initI18n } from './i18n.ts';
import { initialLang, storedLang } from './language.ts';
import { matchRoute } from './router.tsx';
import { SessionProvider } from './session.tsx';
import { App } from './App.tsx';

initI18n(initialLang(matchRoute(location.pathname).lang, storedLang(), document.documentElement.lang));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <App />
    </SessionProvider>
  </StrictMode>,
);
