import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';

/** A tenant API key: only its SHA-256 and a display prefix are stored, never the key. */
@Schema({ collection: 'api_keys', timestamps: true })
export class ApiKey {
  @Prop({ type: Types.ObjectId, required: true, index: true })
  tenantId!: Types.ObjectId;

  /** Lowercase hex SHA-256 of the full key; the gateway's lookup key. */
  @Prop({ required: true, unique: true })
  hash!: string;

  @Prop({ required: true })
  prefix!: string;

  @Prop({ default: '' })
  label!: string;

  @Prop({ default: true })
  enabled!: boolean;

  @Prop({ type: Date, default: null })
  expiresAt!: Date | null;

  @Prop({ type: Date, default: null })
  lastUsedAt!: Date | null;

  @Prop({ type: String, default: null })
  createdBy!: string | null;

  /** This key's own requests/tokens per minute (within the tenant's); null = only the tenant's limit. */
  @Prop({ type: Object, default: null })
  rateLimit!: { requestsPerMinute: number; tokensPerMinute: number } | null;

  createdAt!: Date;
  updatedAt!: Date;
}

export type ApiKeyDocument = HydratedDocument<ApiKey>;
export type ApiKeyRecord = ApiKey & { _id: Types.ObjectId };
export const ApiKeySchema = SchemaFactory.createForClass(ApiKey);
