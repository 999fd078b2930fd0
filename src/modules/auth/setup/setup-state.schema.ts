import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const FIRST_ADMIN_MARKER = 'first-admin';
export const SETUP_COMPLETE_MARKER = 'setup-complete';

/**
 * One-time markers. Inserting `first-admin` (a unique `_id`) is how exactly one of several
 * concurrent setup/bootstrap attempts wins; the marker is never removed, so setup stays closed.
 */
@Schema({ collection: 'setup_state', versionKey: false })
export class SetupMarker {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Date, required: true, default: () => new Date() })
  at!: Date;

  @Prop({ type: String, default: null })
  userId!: string | null;

  @Prop({ type: String, default: null })
  via!: string | null;
}

export const SetupMarkerSchema = SchemaFactory.createForClass(SetupMarker);
