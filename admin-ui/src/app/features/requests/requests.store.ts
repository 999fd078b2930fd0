import { computed, inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { requestsDetail } from '../../api/fn/analytics/requests-detail';
import { requestsList, type RequestsList$Params } from '../../api/fn/analytics/requests-list';
import { type RequestDetailDto } from '../../api/models/request-detail-dto';
import { type RequestLogItemDto } from '../../api/models/request-log-item-dto';
import { AsyncTask } from '../../core/state/async-task';

/** The filters of the request log, as strings (they live in the page address). */
export const REQUEST_FILTERS = [
  'tenant',
  'status',
  'requestedModel',
  'routedModel',
  'provider',
  'category',
  'tier',
  'user',
  'session',
  'keyPrefix',
  'requestId',
  'errorType',
] as const;
export type RequestFilterKey = (typeof REQUEST_FILTERS)[number];
export type RequestFilters = Partial<Record<RequestFilterKey, string>>;

export const PAGE_SIZE = 50;

/** Only known, non-empty filters, so the address and the API query carry nothing else. */
export function cleanFilters(raw: Record<string, unknown>): RequestFilters {
  const filters: RequestFilters = {};
  for (const key of REQUEST_FILTERS) {
    const value = raw[key];
    if (typeof value === 'string' && value.trim()) filters[key] = value.trim();
  }
  return filters;
}

/** The request log: server-side filters, cursor pages (newest first), one request's detail. */
@Injectable()
export class RequestsStore {
  private readonly api = inject(Api);

  readonly load$ = new AsyncTask();
  readonly detail$ = new AsyncTask();
  readonly filters = signal<RequestFilters>({});
  readonly items = signal<RequestLogItemDto[]>([]);
  readonly loaded = signal(false);
  readonly detail = signal<RequestDetailDto | null>(null);
  /** Cursors of the pages before the current one (the first page has none). */
  private readonly cursors = signal<(string | undefined)[]>([]);
  private readonly cursor = signal<string | undefined>(undefined);
  readonly nextCursor = signal<string | null>(null);
  readonly pageNumber = computed(() => this.cursors().length + 1);

  async apply(filters: RequestFilters): Promise<void> {
    this.filters.set(filters);
    this.cursors.set([]);
    this.cursor.set(undefined);
    await this.load();
  }

  async load(): Promise<void> {
    const cursor = this.cursor();
    const params = {
      ...this.filters(),
      limit: PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    } as RequestsList$Params;
    const result = await this.load$.run(() => this.api.invoke(requestsList, params));
    if (result.ok) {
      this.items.set(result.value.items);
      this.nextCursor.set(result.value.nextCursor);
      this.loaded.set(true);
    }
  }

  async older(): Promise<void> {
    const next = this.nextCursor();
    if (!next) return;
    this.cursors.update((c) => [...c, this.cursor()]);
    this.cursor.set(next);
    await this.load();
  }

  async newer(): Promise<void> {
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
