/**
 * What an export holds: section name → collection (and, for single settings documents, the
 * document id). Tenants' API keys, users, logs and analytics are never exported.
 */
export const TRANSFER_SECTIONS = {
  providers: { collection: 'providers' },
  models: { collection: 'models' },
  tenants: { collection: 'tenants' },
  categories: { collection: 'routing_categories' },
  ruleSets: { collection: 'routing_rule_sets' },
  ldap: { collection: 'auth_settings', id: 'ldap' },
  keyPolicy: { collection: 'settings', id: 'key-policy' },
  runtimeSettings: { collection: 'system_settings', id: 'runtime' },
} as const satisfies Record<string, { collection: string; id?: string }>;

export type TransferSection = keyof typeof TRANSFER_SECTIONS;
export const TRANSFER_SECTION_NAMES = Object.keys(TRANSFER_SECTIONS) as TransferSection[];

/** Config scopes to publish after an import so every pod reloads what changed. */
export const IMPORT_SCOPES = [
  'providers',
  'models',
  'tenants',
  'api-keys',
  'routing',
  'runtime-settings',
  'users',
];

export const EXPORT_FORMAT = 'model-prism-settings';
export const EXPORT_VERSION = 1;
