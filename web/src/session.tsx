// The signed-in user from /api/session. The server decides what a user may do (`abilities`);
// the UI only hides what the answer says is not allowed.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { SessionState, SessionView } from '../../src/contract/index.ts';
import { api, ApiError, setCsrfToken } from './api.ts';

export type User = SessionView['user'];

export type Session =
  | { status: 'loading' }
  | { status: 'signed-out' }
  /** The server has no session API (yet): the pages work without signing in. */
  | { status: 'unavailable' }
  | { status: 'signed-in'; user: User; abilities: Record<string, unknown>; /** a programme officer's programme */ programme: SessionView['programme'] };

type SessionApi = { session: Session; signIn: (username: string, password: string) => Promise<void>; signOut: () => Promise<void> };

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>({ status: 'loading' });

  const accept = useCallback((body: SessionState) => {
    if (!body.signedIn) {
      setCsrfToken(null);
      setSession({ status: 'signed-out' });
      return;
    }
    setCsrfToken(body.csrfToken);
    setSession({ status: 'signed-in', user: body.user, abilities: body.abilities, programme: body.programme });
  }, []);

  useEffect(() => {
    // Signed out is an answer (200, signedIn false), so a public page logs no error for it.
    api<SessionState>('/api/session').then(accept, (e) => {
      setCsrfToken(null);
      setSession({ status: e instanceof ApiError && e.status === 404 ? 'unavailable' : 'signed-out' });
    });
  }, [accept]);

  useEffect(() => {
    const ended = () => {
      setCsrfToken(null);
      setSession((s) => (s.status === 'signed-in' ? { status: 'signed-out' } : s));
    };
    window.addEventListener('lagesbild:unauthenticated', ended);
    return () => window.removeEventListener('lagesbild:unauthenticated', ended);
  }, []);

  const signIn = useCallback(
    async (username: string, password: string) => {
      accept(await api<SessionView>('/api/session', { method: 'POST', body: { username, password } }));
    },
    [accept],
  );

  const signOut = useCallback(async () => {
    try {
      await api('/api/session', { method: 'DELETE' });
    } finally {
      setCsrfToken(null);
      setSession({ status: 'signed-out' });
    }
  }, []);

  return <SessionContext.Provider value={{ session, signIn, signOut }}>{children}</SessionContext.Provider>;
}

/** What the server says the user may do; without a session API (not built yet) everything is shown. */
export function useCan(): (action: string) => boolean {
  const { session } = useSession();
  return (action) => session.status === 'unavailable' || (session.status === 'signed-in' && session.abilities[action] === true);
}

export function useSession(): SessionApi {
  const s = useContext(SessionContext);
  if (!s) throw new Error('SessionProvider missing');
  return s;
}
