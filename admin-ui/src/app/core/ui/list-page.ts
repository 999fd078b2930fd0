import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';

import { type PagedListStore } from '../state/paged-list-store';
import { EmptyState } from './empty-state';
import { ErrorBanner } from './error-banner';

/**
 * The body of every server-paginated list page: load error (with retry), progress bar, empty
 * state, the projected list (a table or panels) and the paginator. The page keeps its header and
 * filter form above it; `[footer]` content goes under the paginator.
 */
@Component({
  selector: 'app-list-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [EmptyState, ErrorBanner, MatPaginatorModule, MatProgressBarModule],
  template: `
    <app-error-banner [problem]="store().load$.problem()" [retryable]="true" (retry)="store().load()" />
    @if (store().load$.busy() || busy()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="loadingLabel()" />
    }

    @if (store().loaded() && store().items().length === 0) {
      <app-empty-state [icon]="emptyIcon()" [title]="emptyTitle()" [message]="emptyMessage()" />
    } @else if (store().loaded()) {
      <ng-content />
      <mat-paginator
        [length]="store().total()"
        [pageIndex]="store().page() - 1"
        [pageSize]="store().pageSize()"
        [pageSizeOptions]="pageSizeOptions"
        (page)="onPage($event)"
        [attr.aria-label]="pagesLabel()"
      />
      <ng-content select="[footer]" />
    }
  `,
})
export class ListPage {
  readonly store = input.required<PagedListStore<unknown, unknown>>();
  /** Other work of the page that should show the progress bar too (saving, bulk actions). */
  readonly busy = input(false);
  readonly loadingLabel = input.required<string>();
  readonly pagesLabel = input.required<string>();
  readonly emptyIcon = input.required<string>();
  readonly emptyTitle = input.required<string>();
  readonly emptyMessage = input<string>();

  protected readonly pageSizeOptions = [25, 50, 100, 200];

  protected onPage(event: PageEvent): void {
    void this.store().goToPage(event.pageIndex + 1, event.pageSize);
  }
}
