import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import type { Role } from '../../src/modules/auth/rbac';
import { AuthService } from '../../src/modules/auth/session/auth.service';
import { UsersService } from '../../src/modules/auth/users/users.service';

/** A password that satisfies the policy (12+ characters). */
export const TEST_PASSWORD = 'correct-horse-battery-staple';

export interface TestUser {
  id: string;
  username: string;
  password: string;
  role: Role;
  /** A valid access token: send it as `authorization: Bearer <token>` (see `bearer()`). */
  token: string;
}

export interface TestUserOptions {
  tenantIds?: string[];
  username?: string;
  password?: string;
  mustChangePassword?: boolean;
}

let counter = 0;
function uniqueName(role: string): string {
  counter += 1;
  return `${role}-${counter}-${randomBytes(3).toString('hex')}`;
}

/** `{ authorization: 'Bearer …' }` for `app.inject({ headers })` or fetch. */
export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

/**
 * Creates a local user with the role (and tenants, for tenant-admin/tenant-viewer) directly
 * through the users service and returns it with a valid token. No HTTP login, so the 20/min login
 * limit never gets in the way of a test.
 */
export async function createUser(
  app: NestFastifyApplication,
  role: Role,
  options: TestUserOptions = {},
): Promise<TestUser> {
  const password = options.password ?? TEST_PASSWORD;
  const user = await app.get(UsersService).createLocal({
    username: options.username ?? uniqueName(role),
    password,
    role,
    tenantIds: options.tenantIds ?? [],
    mustChangePassword: options.mustChangePassword ?? false,
  });
  const session = app.get(AuthService).issueFor(user);
  return { id: user._id.toString(), username: user.username, password, role, token: session.token };
}

/** The Bearer token of a fresh user with this role: `createUserAndLogin(app, 'finops')`. */
export async function createUserAndLogin(
  app: NestFastifyApplication,
  role: Role,
  options: TestUserOptions = {},
): Promise<string> {
  return (await createUser(app, role, options)).token;
}

/**
 * Makes sure an admin exists and returns one with a token: the first call on a fresh database goes
 * through the real `POST setup/admin`; later calls (setup closed) add another admin directly.
 */
export async function setupFirstAdmin(
  app: NestFastifyApplication,
  options: { username?: string; password?: string } = {},
): Promise<TestUser> {
  const username = options.username ?? uniqueName('admin');
  const password = options.password ?? TEST_PASSWORD;
  const response = await app.inject({
    method: 'POST',
    url: '/api/prism/setup/admin',
    payload: { username, password },
  });
  if (response.statusCode === 409) return createUser(app, 'admin', { username, password });
  if (response.statusCode !== 201) {
    throw new Error(`setup/admin answered ${response.statusCode}: ${response.body}`);
  }
  const id = response.json<{ id: string }>().id;
  const user = await app.get(UsersService).get(id);
  return {
    id,
    username: user.username,
    password,
    role: 'admin',
    token: app.get(AuthService).issueFor(user).token,
  };
}

/** Logs in over HTTP (counts against the 20/min/IP login limit); returns the parsed response. */
export async function loginOverHttp(
  app: NestFastifyApplication,
  username: string,
  password: string,
): Promise<{ statusCode: number; body: Record<string, unknown> }> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/prism/auth/login',
    payload: { username, password },
  });
  return { statusCode: response.statusCode, body: response.json() };
}
