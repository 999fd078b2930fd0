import type { Client, SearchEntryObject } from 'ldapjs';

import { bind, connect, disconnect, search, startTls, withTimeout } from './ldap-client';
import { fillFilter } from './ldap-filter';
import type { ResolvedLdapSettings } from './ldap-settings.service';

export { tlsOptionsFor } from './ldap-client';

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

/** LDAP result codes that mean "these credentials are refused" rather than "the server failed". */
const REFUSED_BIND_CODES = new Set([48, 49, 50, 53]);

function asStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/**
 * Authenticates a directory user: connect (StartTLS when configured, finished before anything
 * else is sent), bind as the service account, find exactly one entry with the RFC 4515-escaped
 * filter, read its groups, then bind as that entry with the user's password. Null for an unknown
 * or ambiguous user or a refused password; LdapUnavailableError when the directory cannot answer.
 *
 * (passport-ldapauth / ldapauth-fork is not used for this: its filter escaping double-escapes and
 * its StartTLS lets the first operations race the TLS handshake.)
 */
export async function authenticateWithLdap(
  settings: ResolvedLdapSettings,
  username: string,
  password: string,
): Promise<LdapIdentity | null> {
  // An empty password would be an anonymous bind, which servers accept: never a login.
  if (!username || !password) return null;
  let client: Client | undefined;
  try {
    return await withTimeout(
      (async () => {
        try {
          client = await connect(settings);
          if (settings.startTls) await startTls(client, settings);
          if (settings.bindDn) await bind(client, settings.bindDn, settings.bindPassword);
        } catch (error) {
          throw new LdapUnavailableError(reason(error));
        }
        const entry = await findUser(client, settings, username);
        if (!entry) return null;
        const groups = await findGroups(client, settings, entry, username);
        try {
          await bind(client, entry.dn, password);
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          if (typeof code === 'number' && REFUSED_BIND_CODES.has(code)) return null;
          throw new LdapUnavailableError(reason(error));
        }
        return { dn: entry.dn, groups };
      })(),
      settings.timeoutMs * 3,
      'LDAP login',
    );
  } catch (error) {
    if (error instanceof LdapUnavailableError) throw error;
    throw new LdapUnavailableError(reason(error));
  } finally {
    if (client) disconnect(client);
  }
}

async function findUser(
  client: Client,
  settings: ResolvedLdapSettings,
  username: string,
): Promise<SearchEntryObject | null> {
  const filter = fillFilter(settings.searchFilter, { username });
  const entries = await search(client, settings.searchBase, {
    scope: 'sub',
    filter,
    attributes: ['*', 'memberOf'],
    sizeLimit: 2,
  }).catch((error: unknown) => {
    // "Size limit exceeded" means the filter matched several entries: ambiguous, refuse.
    if ((error as { code?: unknown }).code === 4) return [{}, {}] as SearchEntryObject[];
    throw error;
  });
  return entries.length === 1 ? entries[0]! : null;
}

async function findGroups(
  client: Client,
  settings: ResolvedLdapSettings,
  entry: SearchEntryObject,
  username: string,
): Promise<string[]> {
  const groups = new Set(asStrings(entry.memberOf));
  if (settings.groupSearchFilter) {
    const filter = fillFilter(settings.groupSearchFilter, { dn: entry.dn, username });
    const found = await search(client, settings.groupSearchBase || settings.searchBase, {
      scope: 'sub',
      filter,
      attributes: ['dn'],
      sizeLimit: 1000,
    });
    for (const group of found) groups.add(group.dn);
  }
  return [...groups];
}
