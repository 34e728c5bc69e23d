// OpenID Connect sign-in (authorization code with PKCE) for agencies with their own identity
// provider. A user is matched by the provider's issuer and subject; optionally, on first
// sign-in, by a configured claim equal to the username, after which the subject is bound.
import * as client from 'openid-client';
import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../store/db.ts';
import { users } from './schema.ts';
import type { UserRow } from './users.ts';

export type OidcSettings = {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** the callback URL registered at the provider: https://…/api/session/oidc/callback */
  redirectUri: string;
  scope?: string;
  /** a claim (e.g. `preferred_username`, `email`) matched to the username on first sign-in */
  matchClaim?: string;
  /** the name on the sign-in button */
  label?: string;
  /** http issuers (tests and local development only) */
  allowInsecureRequests?: boolean;
};

/** From OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI, OIDC_SCOPE, OIDC_MATCH_CLAIM, OIDC_LABEL. */
export function oidcSettingsFromEnv(env = process.env): OidcSettings | null {
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_REDIRECT_URI) return null;
  return {
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    redirectUri: env.OIDC_REDIRECT_URI,
    scope: env.OIDC_SCOPE,
    matchClaim: env.OIDC_MATCH_CLAIM,
    label: env.OIDC_LABEL,
  };
}

export type OidcClient = {
  settings: OidcSettings;
  /** discovery happens on first use and is retried after a failure */
  configuration(): Promise<client.Configuration>;
};

export function oidcClient(settings: OidcSettings): OidcClient {
  let pending: Promise<client.Configuration> | null = null;
  return {
    settings,
    configuration() {
      pending ??= client
        .discovery(
          new URL(settings.issuer),
          settings.clientId,
          settings.clientSecret,
          settings.clientSecret ? client.ClientSecretBasic(settings.clientSecret) : client.None(),
          settings.allowInsecureRequests ? { execute: [client.allowInsecureRequests] } : undefined,
        )
        .catch((e) => {
          pending = null;
          throw e;
        });
      return pending;
    },
  };
}

/** What the browser keeps (in a short-lived httpOnly cookie) between start and callback. */
export type OidcPending = { state: string; nonce: string; verifier: string; returnTo: string };

export async function startOidc(oidc: OidcClient, returnTo: string): Promise<{ url: URL; pending: OidcPending }> {
  const config = await oidc.configuration();
  const verifier = client.randomPKCECodeVerifier();
  const pending: OidcPending = { state: client.randomState(), nonce: client.randomNonce(), verifier, returnTo };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: oidc.settings.redirectUri,
    scope: oidc.settings.scope ?? 'openid profile email',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  });
  return { url, pending };
}

/** Exchanges the code; returns the verified ID token claims. Throws on any mismatch. */
export async function finishOidc(oidc: OidcClient, callbackQuery: string, pending: OidcPending): Promise<{ issuer: string; claims: Record<string, unknown> }> {
  const config = await oidc.configuration();
  const current = new URL(oidc.settings.redirectUri);
  current.search = callbackQuery;
  const tokens = await client.authorizationCodeGrant(config, current, {
    pkceCodeVerifier: pending.verifier,
    expectedState: pending.state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
  });
  const idClaims = tokens.claims();
  if (!idClaims) throw new Error('no id token');
  let claims: Record<string, unknown> = { ...idClaims };
  // Providers often keep profile claims out of the ID token; ask userinfo for the one we match on.
  const wanted = oidc.settings.matchClaim;
  if (wanted && claims[wanted] === undefined && tokens.access_token) {
    const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    claims = { ...info, ...claims };
  }
  return { issuer: config.serverMetadata().issuer, claims };
}

/** The active user these claims belong to, binding the subject on a first claim match. */
export async function matchOidcUser(ex: Executor, settings: OidcSettings, issuer: string, claims: Record<string, unknown>): Promise<UserRow | undefined> {
  const subject = typeof claims.sub === 'string' ? claims.sub : null;
  if (!subject) return undefined;
  const [bound] = await ex.select().from(users).where(and(eq(users.oidc_issuer, issuer), eq(users.oidc_subject, subject)));
  if (bound) return bound.active ? bound : undefined;
  if (!settings.matchClaim) return undefined;
  const value = claims[settings.matchClaim];
  if (typeof value !== 'string' || !value) return undefined;
  if (settings.matchClaim === 'email' && claims.email_verified !== true) return undefined;
  const [bindable] = await ex
    .update(users)
    .set({ oidc_issuer: issuer, oidc_subject: subject, updated_at: new Date() })
    .where(and(eq(users.username, value.trim().toLowerCase()), isNull(users.oidc_subject), eq(users.active, true)))
    .returning();
  return bindable;
}
