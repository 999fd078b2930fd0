import { inject, Injectable } from '@angular/core';

import { Api } from '../../api/api';
import { auditList, type AuditList$Params } from '../../api/fn/audit/audit-list';
import { type AuditEventResponseDto } from '../../api/models/audit-event-response-dto';
import { type Page, PagedListStore } from '../../core/state/paged-list-store';

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
export class AuditStore extends PagedListStore<AuditEventResponseDto, AuditFilter> {
  private readonly api = inject(Api);

  readonly events = this.items;

  constructor() {
    super(EMPTY_AUDIT_FILTER);
  }

  protected fetch(): Promise<Page<AuditEventResponseDto>> {
    return this.api.invoke(auditList, this.params());
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
