/** What replaces a secret in the audit log. */
export const AUDIT_SECRET_MASK = '********';

// Key names whose values are credentials. `token$` (not `token`) keeps `tokensPerMinute` readable.
const SECRET_KEY =
  /password|passphrase|passwd|secret|token$|api[-_]?key|private[-_]?key|credential|authorization|cookie|hash$/i;
const MAX_STRING = 500;
const MAX_FIELDS = 200;
const MAX_DEPTH = 6;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Deep copy with secrets masked (by key name, or by the `enc:` encrypted-value form) and long strings cut. */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === 'string') {
    if (value.startsWith('enc:')) return AUDIT_SECRET_MASK;
    return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length} chars)` : value;
  }
  if (typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (depth >= MAX_DEPTH) return '[nested]';
  if (isObjectIdLike(value)) return (value as { toHexString(): string }).toHexString();
  if (Array.isArray(value)) return value.slice(0, MAX_FIELDS).map((v) => maskSecrets(v, depth + 1));
  const result: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>).slice(0, MAX_FIELDS)) {
    result[key] = isSecretKey(key) && holdsSecret(v) ? AUDIT_SECRET_MASK : maskSecrets(v, depth + 1);
  }
  return result;
}

/** Flags such as `passwordChanged: true` are not secrets; strings and objects under a secret key are. */
function holdsSecret(value: unknown): boolean {
  return typeof value === 'string' ? value !== '' : typeof value === 'object' && value !== null;
}

function isObjectIdLike(value: object): boolean {
  return (value as { _bsontype?: unknown })._bsontype === 'ObjectId';
}

/**
 * Field-level diff of two snapshots (`{ 'a.b': { from, to } }`), secrets masked: a changed secret
 * shows as `{ from: '********', to: '********' }` so the log says that it changed, never to what.
 * Missing `before` means creation, missing `after` deletion.
 */
export function diffSnapshots(
  before: unknown,
  after: unknown,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  walk(toPlain(before), toPlain(after), '', changes, 0);
  return changes;
}

function toPlain(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v === undefined ? null : v))) as unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function walk(
  before: unknown,
  after: unknown,
  path: string,
  out: Record<string, { from: unknown; to: unknown }>,
  depth: number,
): void {
  if (Object.keys(out).length >= MAX_FIELDS) return;
  const key = path.split('.').pop() ?? '';
  // A missing side of an object (creation, deletion, new sub-object) diffs field by field.
  if (isPlainObject(after) && (before === undefined || before === null)) before = {};
  if (isPlainObject(before) && (after === undefined || after === null)) after = {};
  if (isPlainObject(before) && isPlainObject(after) && depth < MAX_DEPTH) {
    for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (['_id', '__v', 'createdAt', 'updatedAt'].includes(k) && depth === 0) continue;
      walk(before[k], after[k], path ? `${path}.${k}` : k, out, depth + 1);
    }
    return;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  if (isSecretKey(key) && (holdsSecret(before) || holdsSecret(after))) {
    out[path] = {
      from: holdsSecret(before) ? AUDIT_SECRET_MASK : null,
      to: holdsSecret(after) ? AUDIT_SECRET_MASK : null,
    };
    return;
  }
  out[path || '(value)'] = { from: maskSecrets(before ?? null), to: maskSecrets(after ?? null) };
}
