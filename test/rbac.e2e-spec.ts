import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import {
  AUTHENTICATED_ONLY,
  type Permission,
  REQUIRED_PERMISSION_KEY,
  type Role,
  roleHasPermission,
  ROLES,
} from '../src/modules/auth/rbac';
import { routesOf, startTestApp } from './support/app';
import { bearer, createUser, setupFirstAdmin } from './support/auth';

/** Routes anyone may call: logging in and the first-run wizard. Everything else needs a user. */
const PUBLIC_ROUTES = new Set([
  'POST /api/prism/auth/login',
  'GET /api/prism/setup/status',
  'POST /api/prism/setup/admin',
]);
/** What a user who must change the password can still do. */
const PASSWORD_CHANGE_ROUTES = new Set([
  'GET /api/prism/auth/me',
  'POST /api/prism/auth/password',
  'POST /api/prism/auth/logout',
]);
const FAKE_ID = '0123456789abcdef01234567';

interface DeclaredRoute {
  key: string;
  method: string;
  url: string;
  requirement: Permission | typeof AUTHENTICATED_ONLY | undefined;
}

function joinPath(...parts: string[]): string {
  return (
    '/' +
    parts
      .map((p) => p.replace(/^\/+|\/+$/g, ''))
      .filter(Boolean)
      .join('/')
  );
}

/** Every route declared by a Nest controller in the app, with the permission its guard demands. */
function declaredRoutes(app: NestFastifyApplication): Map<string, DeclaredRoute> {
  const routes = new Map<string, DeclaredRoute>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const basePaths = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const methodPaths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (methodPaths === undefined || requestMethod === undefined) continue;
        const requirement =
          (Reflect.getMetadata(REQUIRED_PERMISSION_KEY, handler) as DeclaredRoute['requirement']) ??
          (Reflect.getMetadata(REQUIRED_PERMISSION_KEY, controller) as DeclaredRoute['requirement']);
        for (const base of basePaths) {
          for (const path of ([] as string[]).concat(methodPaths)) {
            const method = RequestMethod[requestMethod];
            const url = joinPath(base, path);
            routes.set(`${method} ${url}`, { key: `${method} ${url}`, method, url, requirement });
          }
        }
      }
    }
  }
  return routes;
}

describe('RBAC: every admin route, every role', () => {
  let app: NestFastifyApplication;
  let adminRoutes: DeclaredRoute[];
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    app = await startTestApp({
      NODE_ROLE: 'control',
      ADMIN_RATE_LIMIT_PER_MIN: '1000000',
      AUTH_RATE_LIMIT_PER_MIN: '1000000',
    });
    await setupFirstAdmin(app);
    for (const role of ROLES) tokens.set(role, (await createUser(app, role, { tenantIds: ['t-1'] })).token);
    const declared = declaredRoutes(app);
    const registered = routesOf(app).filter((r) => r.url.startsWith('/api/prism/'));
    // Every route Fastify serves under /api/prism must come from a controller we can inspect.
    const undeclared = registered.map((r) => `${r.method} ${r.url}`).filter((key) => !declared.has(key));
    expect(undeclared).toEqual([]);
    adminRoutes = registered
      .map((r) => declared.get(`${r.method} ${r.url}`)!)
      .filter((r) => !PUBLIC_ROUTES.has(r.key));
  });
  afterAll(async () => {
    await app.close();
  });

  function call(route: DeclaredRoute, token?: string) {
    const url = route.url.replace(/:[A-Za-z0-9_]+/g, FAKE_ID).replace(/\*$/, 'x');
    const mutating = !['GET', 'HEAD', 'OPTIONS'].includes(route.method);
    return app.inject({
      method: route.method as 'GET',
      url,
      headers: token ? bearer(token) : {},
      ...(mutating ? { payload: {} } : {}),
    });
  }

  it('finds the admin routes (the matrix is not empty)', () => {
    const keys = adminRoutes.map((r) => r.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'GET /api/prism/admin/users',
        'POST /api/prism/admin/users',
        'PUT /api/prism/admin/settings/ldap',
        'GET /api/prism/admin/audit',
        'GET /api/prism/auth/me',
      ]),
    );
  });

  it('every non-public route declares @RequirePermission or @RequireLogin', () => {
    expect(adminRoutes.filter((r) => r.requirement === undefined).map((r) => r.key)).toEqual([]);
  });

  it('anonymous callers get 401 on every non-public route', async () => {
    const wrong: string[] = [];
    for (const route of adminRoutes) {
      const res = await call(route);
      if (res.statusCode !== 401) wrong.push(`${route.key} → ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });

  it('each role without the permission gets 403 on every route; roles with it are let through', async () => {
    const wrong: string[] = [];
    for (const route of adminRoutes) {
      for (const role of ROLES) {
        const allowed =
          route.requirement === AUTHENTICATED_ONLY || roleHasPermission(role, route.requirement!);
        if (!allowed) {
          const res = await call(route, tokens.get(role));
          if (res.statusCode !== 403) wrong.push(`${role} ${route.key} → ${res.statusCode} (expected 403)`);
        } else if (route.method === 'GET') {
          // Reads are safe to call: the guard must not refuse a role that holds the permission.
          const res = await call(route, tokens.get(role));
          const refusedByGuard =
            res.statusCode === 401 ||
            (res.statusCode === 403 && /lacks the/.test(res.json<{ message: string }>().message));
          if (refusedByGuard) wrong.push(`${role} ${route.key} → ${res.statusCode} (expected access)`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('a user who must change the password is held at 403 everywhere except me/password/logout', async () => {
    const pending = await createUser(app, 'admin', { mustChangePassword: true });
    const wrong: string[] = [];
    for (const route of adminRoutes) {
      if (PASSWORD_CHANGE_ROUTES.has(route.key)) continue;
      const res = await call(route, pending.token);
      const code =
        res.statusCode === 403 ? res.json<{ details?: { code?: string } }>().details?.code : undefined;
      if (code !== 'password_change_required') wrong.push(`${route.key} → ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
    const me = await app.inject({ method: 'GET', url: '/api/prism/auth/me', headers: bearer(pending.token) });
    expect(me.statusCode).toBe(200);
  });
});
