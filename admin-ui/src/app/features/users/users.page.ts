import { ChangeDetectionStrategy, Component } from '@angular/core';

import { EmptyState } from '../../core/ui/empty-state';
import { PageHeader } from '../../core/ui/page-header';

@Component({
  selector: 'app-users-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [EmptyState, PageHeader],
  template: `
    <app-page-header title="Users" subtitle="Console accounts, their roles and tenants." />
    <app-empty-state icon="group" title="No users yet" message="Local and LDAP users appear here." />
  `,
})
export class UsersPage {}
