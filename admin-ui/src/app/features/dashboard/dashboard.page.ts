import { ChangeDetectionStrategy, Component } from '@angular/core';

import { EmptyState } from '../../core/ui/empty-state';
import { PageHeader } from '../../core/ui/page-header';

@Component({
  selector: 'app-dashboard-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [EmptyState, PageHeader],
  template: `
    <app-page-header title="Dashboard" subtitle="Spend, savings and traffic across tenants." />
    <app-empty-state
      icon="insights"
      title="No traffic yet"
      message="Requests through the gateway will show up here as cost, savings and routing charts."
    />
  `,
})
export class DashboardPage {}
