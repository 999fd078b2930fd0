import { type Permission } from '../auth/permissions';
import { NAVIGATION, visibleNavigation } from './navigation';

const labels = (permissions: Permission[], tenantScoped = false): string[] =>
  visibleNavigation(new Set(permissions), tenantScoped).flatMap((section) =>
    section.items.map((i) => i.label),
  );

describe('visibleNavigation', () => {
  it('shows a tenant viewer only the self-service portal', () => {
    expect(labels(['portal.read'], true)).toEqual(['My tenants']);
    expect(visibleNavigation(new Set(['portal.read']), true).map((s) => s.label)).toEqual(['Self-service']);
  });

  it('shows every page to a role holding every permission', () => {
    const all = NAVIGATION.flatMap((section) => section.items.map((item) => item.permission));
    expect(labels(all)).toEqual(NAVIGATION.flatMap((section) => section.items.map((item) => item.label)));
  });

  it('hides administration pages from a role without their permissions', () => {
    const result = labels([
      'analytics.read',
      'providers.read',
      'models.read',
      'tenants.read',
      'routing.read',
    ]);
    expect(result).not.toContain('Users');
    expect(result).not.toContain('Audit log');
    expect(result).toContain('Providers');
  });
});
