import { ChangeDetectionStrategy, Component } from '@angular/core';

import { EmptyState } from '../../core/ui/empty-state';
import { PageHeader } from '../../core/ui/page-header';

@Component({
  selector: 'app-ldap-settings-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [EmptyState, PageHeader],
  template: `
    <app-page-header title="LDAP" subtitle="Sign-in with directory accounts and group-to-role mapping." />
    <app-empty-state
      icon="account_tree"
      title="LDAP is not configured"
      message="Configure a directory server to let its users sign in."
    />
  `,
})
export class LdapSettingsPage {}
