import { computed, inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { requestsDetail } from '../../api/fn/analytics/requests-detail';
import { requestsList } from '../../api/fn/analytics/requests-list';
import { requestsSessions } from '../../api/fn/analytics/requests-sessions';
import { type RequestDetailDto } from '../../api/models/request-detail-dto';
import { type RequestLogItemDto } from '../../api/models/request-log-item-dto';
import { type RequestSessionDto } from '../../api/models/request-session-dto';
import { AsyncTask } from '../../core/state/async-task';
import { type RequestFilters, toRequestQuery } from './request-filters';

export const PAGE_SIZE = 50;

/** The log's two views: every request, or the requests grouped by session (`?view=sessions`). */
export type RequestLogView = 'requests' | 'sessions';

/**
 * The request log: server-side filters, cursor pages (newest first), the sessions view (offset
 * pages, most recently active first), one request's detail.
 */
@Injectable()
export class RequestsStore {
  private readonly api = inject(Api);

  readonly load$ = new AsyncTask();
  readonly detail$ = new AsyncTask();
  readonly filters = signal<RequestFilters>({});
  readonly view = signal<RequestLogView>('requests');
  readonly items = signal<RequestLogItemDto[]>([]);
  readonly sessions = signal<RequestSessionDto[]>([]);
  readonly loaded = signal(false);
  readonly detail = signal<RequestDetailDto | null>(null);
  /** Cursors of the pages before the current one (the first page has none). */
  private readonly cursors = signal<(string | undefined)[]>([]);
  private readonly cursor = signal<string | undefined>(undefined);
  readonly nextCursor = signal<string | null>(null);
  readonly sessionOffset = signal(0);
  readonly moreSessions = signal(false);
  readonly pageNumber = computed(() =>
    this.view() === 'sessions' ? Math.floor(this.sessionOffset() / PAGE_SIZE) + 1 : this.cursors().length + 1,
  );
  readonly hasOlder = computed(() =>
    this.view() === 'sessions' ? this.moreSessions() : this.nextCursor() !== null,
  );
  readonly empty = computed(
    () => this.loaded() && (this.view() === 'sessions' ? this.sessions() : this.items()).length === 0,
  );

  async apply(filters: RequestFilters, view: RequestLogView = 'requests'): Promise<void> {
    this.filters.set(filters);
    this.view.set(view);
    this.loaded.set(false);
    this.cursors.set([]);
    this.cursor.set(undefined);
    this.sessionOffset.set(0);
    await this.load();
  }

  async load(): Promise<void> {
    const query = toRequestQuery(this.filters());
    if (this.view() === 'sessions') {
      const offset = this.sessionOffset();
      const result = await this.load$.run(() =>
        this.api.invoke(requestsSessions, { ...query, limit: PAGE_SIZE, ...(offset ? { offset } : {}) }),
      );
      if (result.ok) {
        this.sessions.set(result.value.items);
        this.moreSessions.set(result.value.hasMore);
        this.loaded.set(true);
      }
      return;
    }
    const cursor = this.cursor();
    const result = await this.load$.run(() =>
      this.api.invoke(requestsList, { ...query, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
    );
    if (result.ok) {
      this.items.set(result.value.items);
      this.nextCursor.set(result.value.nextCursor);
      this.loaded.set(true);
    }
  }

  async older(): Promise<void> {
    if (this.view() === 'sessions') {
      if (!this.moreSessions()) return;
      this.sessionOffset.update((o) => o + PAGE_SIZE);
      await this.load();
      return;
    }
    const next = this.nextCursor();
    if (!next) return;
    this.cursors.update((c) => [...c, this.cursor()]);
    this.cursor.set(next);
    await this.load();
  }

  async newer(): Promise<void> {
    if (this.view() === 'sessions') {
      if (this.sessionOffset() === 0) return;
      this.sessionOffset.update((o) => Math.max(0, o - PAGE_SIZE));
      await this.load();
      return;
    }
    const stack = this.cursors();
    if (stack.length === 0) return;
    this.cursor.set(stack[stack.length - 1]);
    this.cursors.set(stack.slice(0, -1));
    await this.load();
  }

  async open(requestId: string, includePrompt: boolean): Promise<void> {
    this.detail.set(null);
    const result = await this.detail$.run(() =>
      this.api.invoke(requestsDetail, { requestId, ...(includePrompt ? { includePrompt } : {}) }),
    );
    if (result.ok) this.detail.set(result.value);
  }

  close(): void {
    this.detail.set(null);
    this.detail$.clear();
  }
}
