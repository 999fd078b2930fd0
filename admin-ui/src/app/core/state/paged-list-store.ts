import { signal, type WritableSignal } from '@angular/core';

import { AsyncTask } from './async-task';

/** What every paginated admin list answers (`page`/`pageSize`, the server's one convention). */
export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * State of one server-paginated, server-filtered admin list (tenants, models, users, audit): the
 * current page of items, the total, the page window and the filter. A feature store extends it
 * and says how to fetch one page; changing the filter goes back to page 1.
 */
export abstract class PagedListStore<T, F> {
  readonly load$ = new AsyncTask();
  readonly items = signal<T[]>([]);
  readonly total = signal(0);
  readonly page = signal(1);
  readonly pageSize: WritableSignal<number>;
  readonly filter: WritableSignal<F>;
  /** False until the first page arrived (pages show a spinner, not an empty state, until then). */
  readonly loaded = signal(false);

  protected constructor(emptyFilter: F, pageSize = 25) {
    this.filter = signal<F>(emptyFilter);
    this.pageSize = signal(pageSize);
  }

  /** Fetches one page with the given window and the current filter. */
  protected abstract fetch(window: { page: number; pageSize: number }): Promise<Page<T>>;

  /** Called after a page arrived (e.g. to clear a selection). */
  protected onLoaded(): void {
    // Nothing by default.
  }

  async load(): Promise<void> {
    const result = await this.load$.run(() => this.fetch({ page: this.page(), pageSize: this.pageSize() }));
    if (result.ok) {
      this.items.set(result.value.items);
      this.total.set(result.value.total);
      this.loaded.set(true);
      this.onLoaded();
    }
  }

  async applyFilter(filter: F): Promise<void> {
    this.filter.set(filter);
    this.page.set(1);
    await this.load();
  }

  async goToPage(page: number, pageSize: number): Promise<void> {
    this.page.set(page);
    this.pageSize.set(pageSize);
    await this.load();
  }
}
