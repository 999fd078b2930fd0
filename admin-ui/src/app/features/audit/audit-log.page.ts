import { ChangeDetectionStrategy, Component } from '@angular/core';

import { EmptyState } from '../../core/ui/empty-state';
import { PageHeader } from '../../core/ui/page-header';

@Component({
  selector: 'app-audit-log-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [EmptyState, PageHeader],
  template: `
    <app-page-header title="Audit log" subtitle="Every change made through the console or the admin API." />
    <app-empty-state
      icon="history"
      title="No changes recorded yet"
      message="Configuration changes appear here with who made them and when."
    />
  `,
})
export class AuditLogPage {}
