import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument, Types } from 'mongoose';

import {
  PROVIDER_STATUSES,
  PROVIDER_TYPES,
  type ProviderAuthType,
  type ProviderOptions,
  type ProviderStatus,
  type ProviderType,
} from './provider.types';

/** Stored credentials: every value is `enc:<iv>:<tag>:<ct>` (SecretBox), never plaintext. */
export interface StoredProviderAuth {
  type: ProviderAuthType;
  apiKey?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
}

@Schema({ collection: 'providers', timestamps: true, minimize: false })
export class Provider {
  @Prop({ required: true, trim: true })
  name!: string;

  @Prop({ required: true, unique: true })
  slug!: string;

  @Prop({ type: String, required: true, enum: PROVIDER_TYPES })
  type!: ProviderType;

  /** Empty for Bedrock without a VPC endpoint (the regional AWS endpoint is used). */
  @Prop({ type: String, default: '' })
  baseUrl!: string;

  @Prop({ type: Object, required: true })
  auth!: StoredProviderAuth;

  /** extraHeaders values of credential-like headers are stored encrypted. */
  @Prop({ type: Object, default: {} })
  options!: ProviderOptions;

  @Prop({ default: true })
  enabled!: boolean;

  @Prop({ type: String, enum: PROVIDER_STATUSES, default: 'unchecked' })
  status!: ProviderStatus;

  @Prop({ type: String, default: null })
  statusMessage!: string | null;

  @Prop({ type: Date, default: null })
  lastCheckedAt!: Date | null;

  createdAt!: Date;
  updatedAt!: Date;
}

export type ProviderDocument = HydratedDocument<Provider>;
export type ProviderRecord = Provider & { _id: Types.ObjectId };
export const ProviderSchema = SchemaFactory.createForClass(Provider);
