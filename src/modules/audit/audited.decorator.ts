import { SetMetadata } from '@nestjs/common';

export const AUDITED_KEY = 'prism:audited';

export interface AuditedOptions {
  action: string;
  /** Target type; default: the first path segment after `admin/` (e.g. `tenants`). */
  targetType?: string;
  /** Route parameter holding the target id (default `id`); else the response's `id` is used. */
  idParam?: string;
}

/**
 * Names the audit entry AuditInterceptor writes after this handler succeeds (the request body,
 * secrets masked, becomes the change set). Use `AuditService.record` instead when you can give a
 * before/after diff; a handler that records itself gets no second, generic entry.
 */
export function Audited(action: string, options: Omit<AuditedOptions, 'action'> = {}): MethodDecorator {
  return SetMetadata(AUDITED_KEY, { action, ...options } satisfies AuditedOptions);
}

/** For mutating routes that change nothing worth auditing (dry runs, probes, tests). */
export function SkipAudit(): MethodDecorator {
  return SetMetadata(AUDITED_KEY, false);
}
