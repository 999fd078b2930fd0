import { Injectable, Logger } from '@nestjs/common';

import { currentAuditContext } from './audit-context';
import { diffSnapshots, maskSecrets } from './audit-diff';
import type { AuditActor } from './audit-event.schema';
import { AuditRepository } from './audit.repository';

/** What a module tells the audit log about one mutation. */
export interface AuditRecordInput {
  /** Dotted verb: `<thing>.<verb>`, e.g. `tenant.update`, `provider.delete`, `key.revoke`. */
  action: string;
  target: { type: string; id?: string | null; label?: string | null };
  /** Snapshot before the change (omit for creations); secrets are masked in the stored diff. */
  before?: unknown;
  /** Snapshot after the change (omit for deletions). */
  after?: unknown;
  /** Extra facts (masked too), e.g. `{ reason: 'expired' }`. */
  details?: Record<string, unknown>;
  outcome?: 'success' | 'failure';
  /** Defaults to the logged-in user of the current admin request (or `system` outside one). */
  actor?: AuditActor;
}

const SYSTEM_ACTOR: AuditActor = { id: null, username: 'system', role: null };

/**
 * The audit log for every admin mutation. Inside an admin request, actor, client IP and request id
 * are taken from the request automatically; calling `record` also suppresses the generic entry
 * AuditInterceptor would otherwise write for the request. Never throws: a failed audit write is
 * logged, the mutation it describes has already happened.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(private readonly repository: AuditRepository) {}

  async record(input: AuditRecordInput): Promise<void> {
    const context = currentAuditContext();
    if (context) context.recorded = true;
    const hasDiff = input.before !== undefined || input.after !== undefined;
    try {
      await this.repository.insert({
        actor: input.actor ?? context?.actor ?? SYSTEM_ACTOR,
        action: input.action,
        targetType: input.target.type,
        targetId: input.target.id ?? null,
        targetLabel: input.target.label ?? null,
        changes: hasDiff ? diffSnapshots(input.before, input.after) : null,
        details: input.details ? (maskSecrets(input.details) as Record<string, unknown>) : null,
        outcome: input.outcome ?? 'success',
        ip: context?.ip ?? null,
        requestId: context?.requestId ?? null,
      });
    } catch (error) {
      this.logger.error(
        { msg: 'Could not write audit event', action: input.action, err: error },
        AuditService.name,
      );
    }
  }
}
