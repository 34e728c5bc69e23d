// A local OpenID Connect provider for the sign-in tests: oidc-provider on 127.0.0.1 with one
// client, accounts set by the test, and an interaction that signs in whoever `loginAs` names.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error oidc-provider ships no types and @types/oidc-provider is not installed
import Provider from 'oidc-provider';

export type TestProvider = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** accounts by subject, with their claims */
  accounts: Map<string, Record<string, unknown>>;
  /** the subject the next authorization signs in */
  loginAs(subject: string): void;
  /** Follows an authorization URL as a browser would; returns where the provider sends it back. */
  authorize(url: string): Promise<URL>;
  close(): Promise<void>;
};

export async function startTestProvider(redirectUri: string): Promise<TestProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'lagesbild-test';
  const clientSecret = 'a-test-client-secret-that-is-long-enough';
  const accounts = new Map<string, Record<string, unknown>>();
  let nextSubject = '';

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    async findAccount(_ctx: unknown, sub: string) {
      const claims = accounts.get(sub);
      return claims ? { accountId: sub, claims: async () => ({ sub, ...claims }) } : undefined;
    },
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'], email: ['email', 'email_verified'] },
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    pkce: { required: () => true },
  });
  const callback = provider.callback();

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!req.url?.startsWith('/interaction/')) return callback(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      const grant = new provider.Grant({ accountId: nextSubject, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId: nextSubject }, consent: { grantId } }, { mergeWithLastSubmission: false });
    })().catch((e) => {
      res.statusCode = 500;
      res.end(String(e));
    });
  });

  async function authorize(start: string): Promise<URL> {
    const jar = new Map<string, string>();
    let url = new URL(start);
    for (let hops = 0; hops < 10; hops++) {
      if (url.href.startsWith(redirectUri)) return url;
      const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const i = pair.indexOf('=');
        jar.set(pair.slice(0, i), pair.slice(i + 1));
      }
      const location = res.headers.get('location');
      if (!location) throw new Error(`the provider answered ${res.status} without a redirect: ${(await res.text()).slice(0, 300)}`);
      url = new URL(location, url);
    }
    throw new Error('too many redirects');
  }

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    loginAs: (subject) => {
      nextSubject = subject;
    },
    authorize,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
