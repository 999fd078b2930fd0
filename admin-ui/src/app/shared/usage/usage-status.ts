import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatProgressBarModule } from '@angular/material/progress-bar';

import { type AsyncTask } from '../../core/state/async-task';
import { EmptyState } from '../../core/ui/empty-state';
import { ErrorBanner } from '../../core/ui/error-banner';

/**
 * The state line of a usage view (the dashboard's overview, the portal's Usage tab): load error
 * with retry, progress bar, and "no requests in this range" once a range came back empty. The view
 * shows its figures beside it while `empty` is false.
 */
@Component({
  selector: 'app-usage-status',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [EmptyState, ErrorBanner, MatProgressBarModule],
  template: `
    <app-error-banner [problem]="task().problem()" [retryable]="true" (retry)="retry.emit()" />
    @if (task().busy()) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading usage" />
    }
    @if (empty()) {
      <app-empty-state icon="insights" title="No requests in this range" [message]="emptyMessage()" />
    }
  `,
  styles: `
    :host {
      display: block;
    }
  `,
})
export class UsageStatus {
  readonly task = input.required<AsyncTask>();
  /** True once a loaded range has no requests. */
  readonly empty = input.required<boolean>();
  readonly emptyMessage = input.required<string>();
  readonly retry = output();
}
