import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, type Types } from 'mongoose';

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

  /** `{ field: { from, to } }` with secrets masked. */
  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  changes!: Record<string, { from: unknown; to: unknown }> | null;

  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  details!: Record<string, unknown> | null;

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

export type AuditEventRecord = AuditEvent & { _id: Types.ObjectId };
