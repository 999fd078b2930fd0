import type { ConnectionOptions } from 'node:tls';

import Strategy, { type LdapServerOptions } from 'passport-ldapauth';

import { fillFilter } from './ldap-filter';
import type { ResolvedLdapSettings } from './ldap-settings.service';

/** A directory user after a successful bind with their own password. */
export interface LdapIdentity {
  dn: string;
  /** DNs of the groups the user belongs to (group search plus `memberOf`). */
  groups: string[];
}

/** The directory could not be asked (network, TLS, service bind); not a wrong password. */
export class LdapUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'LdapUnavailableError';
  }
}

/** TLS for ldaps:// and StartTLS: extra CA bundle, optional skip-verify (really skips it). */
export function tlsOptionsFor(settings: ResolvedLdapSettings): ConnectionOptions {
  return {
    ...(settings.tlsCaCert.trim() ? { ca: [settings.tlsCaCert] } : {}),
    rejectUnauthorized: !settings.tlsSkipVerify,
  };
}

/** ldapauth-fork options; filters are filled here with RFC 4515 escaping (its own escaping is buggy). */
export function serverOptionsFor(settings: ResolvedLdapSettings, username: string): LdapServerOptions {
  return {
    url: settings.url,
    ...(settings.bindDn ? { bindDN: settings.bindDn, bindCredentials: settings.bindPassword } : {}),
    searchBase: settings.searchBase,
    searchFilter: fillFilter(settings.searchFilter, { username }),
    searchScope: 'sub',
    searchAttributes: ['*', 'memberOf'],
    groupSearchBase: settings.groupSearchBase || settings.searchBase,
    groupSearchFilter: (user) =>
      fillFilter(settings.groupSearchFilter, { dn: typeof user.dn === 'string' ? user.dn : '', username }),
    groupSearchScope: 'sub',
    groupSearchAttributes: ['dn', 'cn'],
    tlsOptions: tlsOptionsFor(settings) as Record<string, unknown>,
    starttls: settings.startTls,
    timeout: settings.timeoutMs,
    connectTimeout: settings.timeoutMs,
    reconnect: false,
  };
}

function asStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

type Outcome =
  | { kind: 'success'; user: Record<string, unknown> }
  | { kind: 'fail'; status: number }
  | { kind: 'error'; error: unknown };

/**
 * Authenticates through passport-ldapauth: service bind, search with the escaped filter, bind as
 * the found DN with the user's password, group search. Null for unknown user or wrong password.
 */
export async function authenticateWithLdap(
  settings: ResolvedLdapSettings,
  username: string,
  password: string,
): Promise<LdapIdentity | null> {
  const strategy = new Strategy({
    server: serverOptionsFor(settings, username),
    credentialsLookup: () => ({ username, password }),
  });
  const outcome = await new Promise<Outcome>((resolve) => {
    // passport gives each attempt its own object with success/fail/error callbacks.
    const attempt = Object.create(strategy) as Strategy & {
      success: (user: Record<string, unknown>) => void;
      fail: (info: unknown, status?: number) => void;
      error: (error: unknown) => void;
    };
    attempt.success = (user) => resolve({ kind: 'success', user });
    attempt.fail = (_info, status) => resolve({ kind: 'fail', status: status ?? 401 });
    attempt.error = (error) => resolve({ kind: 'error', error });
    const timer = setTimeout(
      () => resolve({ kind: 'error', error: new Error(`no answer within ${settings.timeoutMs} ms`) }),
      settings.timeoutMs * 3,
    );
    timer.unref();
    attempt.authenticate({});
  });
  if (outcome.kind === 'fail') return null;
  if (outcome.kind === 'error') {
    const error = outcome.error;
    // ldapauth-fork reports "no such user" and ambiguous matches as plain strings.
    if (typeof error === 'string') return null;
    throw new LdapUnavailableError(error instanceof Error ? error.message : String(error));
  }
  const user = outcome.user;
  const groupEntries = Array.isArray(user._groups) ? (user._groups as Record<string, unknown>[]) : [];
  const groups = [...asStrings(user.memberOf), ...groupEntries.flatMap((g) => asStrings(g.dn))];
  return { dn: typeof user.dn === 'string' ? user.dn : '', groups: [...new Set(groups)] };
}
