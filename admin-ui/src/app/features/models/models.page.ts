import { ChangeDetectionStrategy, Component } from '@angular/core';

import { EmptyState } from '../../core/ui/empty-state';
import { PageHeader } from '../../core/ui/page-header';

@Component({
  selector: 'app-models-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [EmptyState, PageHeader],
  template: `
    <app-page-header
      title="Models"
      subtitle="The model registry: tiers, prices, context windows and visibility."
    />
    <app-empty-state
      icon="view_list"
      title="No models yet"
      message="Models appear here after discovering them on a provider."
    />
  `,
})
export class ModelsPage {}
