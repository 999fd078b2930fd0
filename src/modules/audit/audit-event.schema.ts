import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Types } from 'mongoose';

/** Who did it: a logged-in user, a login attempt (username only) or the system itself. */
export interface AuditActor {
  id: string | null;
  username: string;
  role: string | null;
}

/** One admin mutation or security event (login, logout, password change). Never updated. */
@Schema({ collection: 'audit_events', timestamps: false, versionKey: false })
export class AuditEvent {
  @Prop({ type: Date, required: true, default: () => new Date() })
  at!: Date;

  @Prop({ type: Object, required: true })
  actor!: AuditActor;

  /** Dotted verb, e.g. `user.create`, `tenant.update`, `auth.login_failed`. */
  @Prop({ type: String, required: true })
  action!: string;

  @Prop({ type: String, required: true })
  targetType!: string;

  @Prop({ type: String, default: null })
  targetId!: string | null;

  /** Human-readable name of the target at the time (username, tenant slug...). */
  @Prop({ type: String, default: null })
  targetLabel!: string | null;

  /**
   * `{ field: { from, to } }` with secrets masked, stored as JSON text: field paths and values
   * hold arbitrary keys (`auth.type`, model names such as `gpt-4.1`) that a document may not.
   */
  @Prop({ type: String, default: null })
  changes!: string | null;

  /** Free-form context of the event, stored as JSON text for the same reason. */
  @Prop({ type: String, default: null })
  details!: string | null;

  @Prop({ type: String, required: true, enum: ['success', 'failure'], default: 'success' })
  outcome!: 'success' | 'failure';

  @Prop({ type: String, default: null })
  ip!: string | null;

  @Prop({ type: String, default: null })
  requestId!: string | null;
}

export const AuditEventSchema = SchemaFactory.createForClass(AuditEvent);
AuditEventSchema.index({ at: -1 });
AuditEventSchema.index({ 'actor.username': 1, at: -1 });
AuditEventSchema.index({ action: 1, at: -1 });
AuditEventSchema.index({ targetType: 1, targetId: 1, at: -1 });

export type StoredAuditEvent = AuditEvent & { _id: Types.ObjectId };

/** An audit event as the rest of the module sees it: changes and details decoded. */
export type AuditEventRecord = Omit<StoredAuditEvent, 'changes' | 'details'> & {
  changes: Record<string, { from: unknown; to: unknown }> | null;
  details: Record<string, unknown> | null;
};

export type AuditEventInput = Omit<AuditEventRecord, '_id' | 'at'> & { at?: Date };

export function encodeAuditEvent(event: AuditEventInput): Omit<AuditEvent, 'at'> & { at: Date } {
  return {
    ...event,
    at: event.at ?? new Date(),
    changes: event.changes ? JSON.stringify(event.changes) : null,
    details: event.details ? JSON.stringify(event.details) : null,
  };
}

export function decodeAuditEvent(stored: StoredAuditEvent): AuditEventRecord {
  return {
    ...stored,
    changes: parseJsonObject(stored.changes) as AuditEventRecord['changes'],
    details: parseJsonObject(stored.details),
  };
}

/** Older rows (or foreign writers) may hold an object already; anything unreadable reads as null. */
function parseJsonObject(value: unknown): Record<string, unknown> | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object') return value as Record<string, unknown>;
  if (typeof value !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
