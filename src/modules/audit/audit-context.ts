import { AsyncLocalStorage } from 'node:async_hooks';

import type { AuditActor } from './audit-event.schema';

/** Who/where of the admin request being served; filled by AuditInterceptor, read by AuditService. */
export interface AuditRequestContext {
  actor: AuditActor | null;
  ip: string | null;
  requestId: string | null;
  /** Set once the handler recorded an event itself, so the generic fallback entry is skipped. */
  recorded: boolean;
}

export const auditContextStorage = new AsyncLocalStorage<AuditRequestContext>();

export function currentAuditContext(): AuditRequestContext | undefined {
  return auditContextStorage.getStore();
}
