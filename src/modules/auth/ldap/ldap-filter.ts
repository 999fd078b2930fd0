/**
 * Escapes a value for use inside an LDAP search filter (RFC 4515 §3): `\ * ( )` and NUL become
 * `\5c \2a \28 \29 \00`, so user input can never add filter syntax such as `*)(uid=*`.
 */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Fills `{{name}}` placeholders with escaped values; unknown placeholders are left untouched. */
export function fillFilter(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : escapeFilterValue(value);
  });
}

/** Why a filter template is unusable, or null when it is fine (parentheses balanced, wrapped). */
export function filterTemplateProblem(template: string, requiredPlaceholder?: string): string | null {
  const trimmed = template.trim();
  if (!trimmed.startsWith('(') || !trimmed.endsWith(')'))
    return 'must be wrapped in parentheses, e.g. (uid={{username}})';
  let depth = 0;
  for (let i = 0; i < trimmed.length; i += 1) {
    const c = trimmed[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '(') depth += 1;
    if (c === ')') depth -= 1;
    if (depth < 0) return 'has unbalanced parentheses';
  }
  if (depth !== 0) return 'has unbalanced parentheses';
  if (requiredPlaceholder && !trimmed.includes(`{{${requiredPlaceholder}}}`)) {
    return `must contain {{${requiredPlaceholder}}}`;
  }
  return null;
}
