import { inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { auditList, type AuditList$Params } from '../../api/fn/audit/audit-list';
import { type AuditEventResponseDto } from '../../api/models/audit-event-response-dto';
import { AsyncTask } from '../../core/state/async-task';

export interface AuditFilter {
  actor: string;
  action: string;
  outcome: '' | 'success' | 'failure';
  /** yyyy-mm-dd (local dates from the date inputs). */
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilter = { actor: '', action: '', outcome: '', from: '', to: '' };

/** The audit log, filtered and paginated by the server. */
@Injectable()
export class AuditStore {
  private readonly api = inject(Api);

  readonly load$ = new AsyncTask();
  readonly events = signal<AuditEventResponseDto[]>([]);
  readonly total = signal(0);
  readonly page = signal(1);
  readonly pageSize = signal(25);
  readonly filter = signal<AuditFilter>(EMPTY_AUDIT_FILTER);
  readonly loaded = signal(false);

  async load(): Promise<void> {
    const result = await this.load$.run(() => this.api.invoke(auditList, this.params()));
    if (result.ok) {
      this.events.set(result.value.items);
      this.total.set(result.value.total);
      this.loaded.set(true);
    }
  }

  async applyFilter(filter: AuditFilter): Promise<void> {
    this.filter.set(filter);
    this.page.set(1);
    await this.load();
  }

  async goToPage(page: number, pageSize: number): Promise<void> {
    this.page.set(page);
    this.pageSize.set(pageSize);
    await this.load();
  }

  /** Query parameters: empty filters are left out; dates cover whole local days. */
  params(): AuditList$Params {
    const { actor, action, outcome, from, to } = this.filter();
    return {
      page: this.page(),
      pageSize: this.pageSize(),
      ...(actor.trim() ? { actor: actor.trim() } : {}),
      ...(action.trim() ? { action: action.trim() } : {}),
      ...(outcome ? { outcome } : {}),
      ...(from ? { from: new Date(`${from}T00:00:00`).toISOString() } : {}),
      ...(to ? { to: new Date(`${to}T23:59:59.999`).toISOString() } : {}),
    };
  }
}
