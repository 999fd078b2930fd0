import { ChangeDetectionStrategy, Component } from '@angular/core';

import { EmptyState } from '../../core/ui/empty-state';
import { PageHeader } from '../../core/ui/page-header';

@Component({
  selector: 'app-categories-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [EmptyState, PageHeader],
  template: `
    <app-page-header
      title="Categories"
      subtitle="Task categories the router classifies requests into, grouped by tier."
    />
    <app-empty-state
      icon="category"
      title="No categories yet"
      message="The built-in categories are created when the server starts."
    />
  `,
})
export class CategoriesPage {}
