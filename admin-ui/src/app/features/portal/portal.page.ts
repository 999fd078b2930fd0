import { ChangeDetectionStrategy, Component } from '@angular/core';

import { EmptyState } from '../../core/ui/empty-state';
import { PageHeader } from '../../core/ui/page-header';

@Component({
  selector: 'app-portal-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [EmptyState, PageHeader],
  template: `
    <app-page-header
      title="My tenants"
      subtitle="Endpoints, keys, allowed models and client configuration for your tenants."
    />
    <app-empty-state
      icon="key"
      title="No tenants assigned"
      message="Ask an administrator to assign you to a tenant."
    />
  `,
})
export class PortalPage {}
