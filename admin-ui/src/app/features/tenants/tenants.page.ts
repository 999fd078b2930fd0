import { ChangeDetectionStrategy, Component } from '@angular/core';

import { EmptyState } from '../../core/ui/empty-state';
import { PageHeader } from '../../core/ui/page-header';

@Component({
  selector: 'app-tenants-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [EmptyState, PageHeader],
  template: `
    <app-page-header
      title="Tenants"
      subtitle="Teams and applications that call the gateway with their own keys, limits and budgets."
    />
    <app-empty-state
      icon="apartment"
      title="No tenants yet"
      message="Create a tenant to hand out an API key."
    />
  `,
})
export class TenantsPage {}
