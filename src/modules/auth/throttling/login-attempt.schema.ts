import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Failed logins of one account (`user:<name>`) or one client address (`ip:<address>`), shared by
 * every pod. Deleted on success, on unlock and when a lock has run out; a stale row (older than
 * the counting window) is restarted by the next failure, so nothing relies on a TTL index.
 */
@Schema({ collection: 'login_attempts', versionKey: false })
export class LoginAttempt {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Number, required: true })
  failures!: number;

  @Prop({ type: Date, required: true })
  firstFailureAt!: Date;

  @Prop({ type: Date, default: null })
  lockedUntil!: Date | null;
}

export type LoginAttemptRecord = LoginAttempt;
export const LoginAttemptSchema = SchemaFactory.createForClass(LoginAttempt);
