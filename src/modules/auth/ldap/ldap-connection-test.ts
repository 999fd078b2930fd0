import { bind, connect, search, startTls, withTimeout } from './ldap-client';
import { authenticateWithLdap, LdapUnavailableError } from './ldap-directory';
import { fillFilter } from './ldap-filter';
import { mapGroupsToAccess } from './ldap-role-mapping';
import type { ResolvedLdapSettings } from './ldap-settings.service';

export type LdapTestStepName =
  'connect' | 'starttls' | 'bind' | 'search' | 'authenticate' | 'groups' | 'role';

export interface LdapTestStep {
  step: LdapTestStepName;
  ok: boolean;
  message: string;
  durationMs: number;
  details?: Record<string, unknown>;
}

export interface LdapTestReport {
  ok: boolean;
  steps: LdapTestStep[];
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/**
 * Checks LDAP settings step by step (connect, StartTLS, service bind, user search, the real login
 * path when a password is given, groups, resulting role) and stops at the first failing step.
 * Never returns the bind password.
 */
export async function runLdapConnectionTest(
  settings: ResolvedLdapSettings,
  username?: string,
  password?: string,
): Promise<LdapTestReport> {
  const steps: LdapTestStep[] = [];
  const limit = settings.timeoutMs + 1000;
  async function run<T>(
    step: LdapTestStepName,
    action: () => Promise<T>,
    describeOk: (value: T) => { message: string; details?: Record<string, unknown> },
  ): Promise<T | undefined> {
    const started = performance.now();
    try {
      const value = await withTimeout(action(), limit, step);
      const { message, details } = describeOk(value);
      steps.push({ step, ok: true, message, durationMs: Math.round(performance.now() - started), details });
      return value;
    } catch (error) {
      steps.push({
        step,
        ok: false,
        message: describe(error),
        durationMs: Math.round(performance.now() - started),
      });
      return undefined;
    }
  }
  const failed = () => ({ ok: false, steps });

  const client = await run(
    'connect',
    () => connect(settings),
    () => ({ message: `Connected to ${settings.url}` }),
  );
  if (!client) return failed();
  try {
    if (settings.startTls) {
      const upgraded = await run(
        'starttls',
        () => startTls(client, settings).then(() => true),
        () => ({
          message: 'StartTLS negotiated',
        }),
      );
      if (!upgraded) return failed();
    }
    const bound = await run(
      'bind',
      () =>
        (settings.bindDn ? bind(client, settings.bindDn, settings.bindPassword) : Promise.resolve()).then(
          () => true,
        ),
      () => ({
        message: settings.bindDn ? `Bound as ${settings.bindDn}` : 'Anonymous access (no bind DN set)',
      }),
    );
    if (!bound) return failed();

    if (!username) {
      const base = await run(
        'search',
        async () => {
          const found = await search(client, settings.searchBase, { scope: 'base' });
          if (found.length === 0) throw new Error(`Search base ${settings.searchBase} not found`);
          return found;
        },
        () => ({ message: `Search base ${settings.searchBase} exists; give a username to test a login` }),
      );
      return base ? { ok: true, steps } : failed();
    }

    const filter = fillFilter(settings.searchFilter, { username });
    const users = await run(
      'search',
      async () => {
        const found = await search(client, settings.searchBase, {
          scope: 'sub',
          filter,
          attributes: ['*', 'memberOf'],
        });
        if (found.length === 0) throw new Error(`No entry matches ${filter} under ${settings.searchBase}`);
        if (found.length > 1)
          throw new Error(`${found.length} entries match ${filter}; the filter must match exactly one`);
        return found;
      },
      (found) => ({ message: `Found ${found[0]!.dn}`, details: { filter, dn: found[0]!.dn } }),
    );
    if (!users) return failed();
    const userDn = users[0]!.dn;

    let groups: string[] | undefined;
    if (password) {
      const identity = await run(
        'authenticate',
        async () => {
          const result = await authenticateWithLdap(settings, username, password);
          if (!result) throw new Error('The directory refused this username and password');
          return result;
        },
        (result) => ({ message: `Password accepted for ${result.dn}` }),
      );
      if (!identity) return failed();
      groups = identity.groups;
    } else {
      const groupFilter = fillFilter(settings.groupSearchFilter, { dn: userDn, username });
      const entries = await run(
        'groups',
        () =>
          search(client, settings.groupSearchBase || settings.searchBase, {
            scope: 'sub',
            filter: groupFilter,
            attributes: ['dn'],
          }),
        (found) => ({ message: `${found.length} group(s) found`, details: { filter: groupFilter } }),
      );
      if (!entries) return failed();
      const memberOf = users[0]!.memberOf;
      groups = [
        ...new Set([
          ...entries.map((e) => e.dn),
          ...(Array.isArray(memberOf) ? memberOf : memberOf ? [memberOf] : []),
        ]),
      ];
    }
    const finalGroups = groups;
    const access = await run(
      'role',
      async () => {
        const mapped = mapGroupsToAccess(finalGroups, settings.groupMappings, settings.defaultRole);
        if (!mapped)
          throw new Error('No group mapping matches and no default role is set: this user cannot log in');
        return mapped;
      },
      (mapped) => ({
        message: `Role ${mapped.role}${mapped.matchedGroups.length ? ` from ${mapped.matchedGroups.join(', ')}` : ' (default role)'}`,
        details: { groups: finalGroups, role: mapped.role, tenantIds: mapped.tenantIds },
      }),
    );
    return access ? { ok: true, steps } : failed();
  } catch (error) {
    if (error instanceof LdapUnavailableError) return failed();
    throw error;
  } finally {
    client.destroy();
  }
}
