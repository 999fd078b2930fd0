// @ts-check
/**
 * ESLint rule `prism/module-layering`: imports only point down the module layering of DESIGN.md §2
 * (docs/architecture.md has the picture):
 *
 *   core ← common ← config-sync · system · limits · audit ← auth ← tenants ← providers
 *        ← analytics ← routing ← gateway ← roles.ts / app
 *
 * A file may import its own module, any module of a lower layer, and the peers of its own layer
 * (config-sync, system, limits and audit are one layer). Anything else is a back edge and fails.
 * `auth/rbac` counts as its own unit next to common, and every `*-admin.module.ts` as the admin
 * side above gateway (see LAYERS).
 * Unit specs are exempt (a test may assemble higher layers); type-only imports are not: a type
 * from a higher module is still a dependency on it.
 */
import { dirname, relative, resolve, sep } from 'node:path';

/** Layer of each top-level unit under src/ (modules by folder name). */
export const LAYERS = {
  core: 0,
  common: 1,
  // Permissions, the permission guard and decorators: they import nothing above common, so every
  // module's admin controllers may use them (auth's users, LDAP and sessions stay at layer 3).
  'auth/rbac': 1,
  'config-sync': 2,
  system: 2,
  limits: 2,
  audit: 2,
  auth: 3,
  tenants: 4,
  providers: 5,
  analytics: 6,
  routing: 7,
  gateway: 8,
  // The admin side: modules that only serve the admin API (and every `*-admin.module.ts`) may read
  // any data-plane module, analytics and system included; nothing below may import them.
  'analytics-admin': 9,
  admin: 9,
  app: 10,
};

/**
 * The unit a path under src/ belongs to: `core`, `common`, a module name, or `app` for the
 * composition root (main.ts, app.module.ts, app.factory.ts, roles.ts, bin/). Undefined outside src/.
 * @param {string} srcRoot
 * @param {string} file absolute path
 * @returns {string | undefined}
 */
export function unitOf(srcRoot, file) {
  const rel = relative(srcRoot, file);
  if (rel.startsWith('..')) return undefined;
  const parts = rel.split(sep);
  if (parts[0] === 'modules') {
    if (/-admin\.module(\.ts)?$/.test(parts[parts.length - 1] ?? '')) return 'admin';
    return parts[1] === 'auth' && parts[2] === 'rbac' ? 'auth/rbac' : parts[1];
  }
  if (parts[0] === 'core' || parts[0] === 'common') return parts[0];
  return 'app';
}

/** @type {import('eslint').Rule.RuleModule} */
export const moduleLayering = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the module layering (no back edges between modules)' },
    schema: [
      {
        type: 'object',
        properties: {
          srcRoot: { type: 'string' },
          /** Known back edges, `from -> to`, each with a comment saying who removes it. */
          allow: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      backEdge:
        "'{{from}}' (layer {{fromLayer}}) must not import '{{to}}' (layer {{toLayer}}): imports only point down the layering of docs/architecture.md. Move the shared piece down (e.g. into src/common) instead.",
      unknownModule: "Module '{{name}}' has no layer: add it to LAYERS in eslint/module-layering.mjs.",
    },
  },
  create(context) {
    const options = context.options[0] ?? {};
    const srcRoot = resolve(context.cwd, options.srcRoot ?? 'src');
    const allowed = new Set(options.allow ?? []);
    const file = context.filename;
    const from = unitOf(srcRoot, file);
    if (!from || file.endsWith('.spec.ts')) return {};

    /** @param {import('estree').Node & { source?: any }} node */
    function check(node) {
      const source = node.source;
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      if (!source.value.startsWith('.')) return;
      const to = unitOf(srcRoot, resolve(dirname(file), source.value));
      if (!to || to === from) return;
      const fromLayer = LAYERS[/** @type {keyof typeof LAYERS} */ (from)];
      const toLayer = LAYERS[/** @type {keyof typeof LAYERS} */ (to)];
      if (fromLayer === undefined || toLayer === undefined) {
        context.report({ node: source, messageId: 'unknownModule', data: { name: fromLayer === undefined ? from : to } });
        return;
      }
      if (toLayer <= fromLayer) return;
      if (allowed.has(`${from} -> ${to}`)) return;
      context.report({
        node: source,
        messageId: 'backEdge',
        data: { from, to, fromLayer: String(fromLayer), toLayer: String(toLayer) },
      });
    }

    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

