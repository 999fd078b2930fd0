import { type Routes } from '@angular/router';

import {
  anonymousGuard,
  authGuard,
  homeRedirectGuard,
  passwordChangedGuard,
  permissionGuard,
  setupCompleteGuard,
  setupPendingGuard,
} from './core/auth/guards';

/** Every page is a lazily loaded standalone component; guards only hide, the server enforces. */
export const routes: Routes = [
  {
    path: 'setup',
    title: 'Setup · Model Prism',
    canActivate: [setupPendingGuard],
    loadComponent: () => import('./features/setup/setup-wizard.page').then((m) => m.SetupWizardPage),
  },
  {
    path: 'login',
    title: 'Sign in · Model Prism',
    canActivate: [setupCompleteGuard, anonymousGuard],
    loadComponent: () => import('./features/login/login.page').then((m) => m.LoginPage),
  },
  {
    path: 'change-password',
    title: 'Change password · Model Prism',
    canActivate: [authGuard],
    data: { forced: true },
    loadComponent: () => import('./features/account/change-password.page').then((m) => m.ChangePasswordPage),
  },
  {
    path: '',
    canActivate: [setupCompleteGuard, authGuard, passwordChangedGuard],
    canActivateChild: [passwordChangedGuard],
    loadComponent: () => import('./core/layout/shell').then((m) => m.Shell),
    children: [
      { path: '', pathMatch: 'full', canActivate: [homeRedirectGuard], children: [] },
      {
        path: 'dashboard',
        title: 'Dashboard · Model Prism',
        canActivate: [permissionGuard('analytics.read')],
        loadComponent: () => import('./features/dashboard/dashboard.page').then((m) => m.DashboardPage),
      },
      {
        path: 'requests',
        title: 'Request log · Model Prism',
        canActivate: [permissionGuard('requests.read')],
        loadComponent: () => import('./features/requests/request-log.page').then((m) => m.RequestLogPage),
      },
      {
        path: 'playground',
        title: 'Playground · Model Prism',
        canActivate: [permissionGuard('playground.use')],
        loadComponent: () => import('./features/playground/playground.page').then((m) => m.PlaygroundPage),
      },
      {
        path: 'providers',
        title: 'Providers · Model Prism',
        canActivate: [permissionGuard('providers.read')],
        loadComponent: () => import('./features/providers/providers.page').then((m) => m.ProvidersPage),
      },
      {
        path: 'models',
        title: 'Models · Model Prism',
        canActivate: [permissionGuard('models.read')],
        loadComponent: () => import('./features/models/models.page').then((m) => m.ModelsPage),
      },
      {
        path: 'tenants',
        title: 'Tenants · Model Prism',
        canActivate: [permissionGuard('tenants.read')],
        loadComponent: () => import('./features/tenants/tenants.page').then((m) => m.TenantsPage),
      },
      {
        path: 'tenants/:id',
        title: 'Tenant · Model Prism',
        canActivate: [permissionGuard('tenants.read')],
        loadComponent: () => import('./features/tenants/tenant-editor.page').then((m) => m.TenantEditorPage),
      },
      {
        path: 'categories',
        title: 'Categories · Model Prism',
        canActivate: [permissionGuard('routing.read')],
        loadComponent: () => import('./features/categories/categories.page').then((m) => m.CategoriesPage),
      },
      {
        path: 'routing',
        title: 'Routing · Model Prism',
        canActivate: [permissionGuard('routing.read')],
        loadComponent: () => import('./features/routing/routing.page').then((m) => m.RoutingPage),
      },
      {
        path: 'users',
        title: 'Users · Model Prism',
        canActivate: [permissionGuard('users.read')],
        loadComponent: () => import('./features/users/users.page').then((m) => m.UsersPage),
      },
      {
        path: 'settings/ldap',
        title: 'LDAP · Model Prism',
        canActivate: [permissionGuard('users.read')],
        loadComponent: () => import('./features/ldap/ldap-settings.page').then((m) => m.LdapSettingsPage),
      },
      {
        path: 'audit',
        title: 'Audit log · Model Prism',
        canActivate: [permissionGuard('audit.read')],
        loadComponent: () => import('./features/audit/audit-log.page').then((m) => m.AuditLogPage),
      },
      {
        path: 'system',
        title: 'System · Model Prism',
        canActivate: [permissionGuard('system.read')],
        loadComponent: () => import('./features/system-status/system.page').then((m) => m.SystemPage),
      },
      {
        path: 'portal',
        title: 'My tenants · Model Prism',
        canActivate: [permissionGuard('portal.read')],
        loadComponent: () => import('./features/portal/portal.page').then((m) => m.PortalPage),
      },
      {
        path: 'account/password',
        title: 'Change password · Model Prism',
        loadComponent: () =>
          import('./features/account/change-password.page').then((m) => m.ChangePasswordPage),
      },
      {
        path: 'forbidden',
        title: 'Not allowed · Model Prism',
        loadComponent: () => import('./features/system/forbidden.page').then((m) => m.ForbiddenPage),
      },
    ],
  },
  {
    path: '**',
    title: 'Not found · Model Prism',
    loadComponent: () => import('./features/system/not-found.page').then((m) => m.NotFoundPage),
  },
];
