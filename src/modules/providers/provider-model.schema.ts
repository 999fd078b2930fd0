import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';

import { TIERS, type Tier } from '../../common/tiers';
import type {
  ManualModelField,
  ModelApiType,
  ModelBenchmarks,
  ModelCapabilities,
  ModelPricing,
} from './provider.types';

/** One model of one provider in the registry (collection `models`). */
@Schema({ collection: 'models', timestamps: true, minimize: false })
export class ProviderModel {
  @Prop({ type: Types.ObjectId, required: true, index: true })
  providerId!: Types.ObjectId;

  @Prop({ required: true })
  modelId!: string;

  @Prop({ required: true })
  name!: string;

  @Prop({ type: String, enum: [...TIERS, null], default: null })
  tier!: Tier | null;

  @Prop({ type: [String], default: [] })
  categories!: string[];

  @Prop({ type: Number, default: null })
  contextWindow!: number | null;

  @Prop({ type: Number, default: null })
  maxOutputTokens!: number | null;

  @Prop({ type: Object, default: () => ({ inputPer1M: 0, outputPer1M: 0, cachedInputPer1M: null }) })
  pricing!: ModelPricing;

  @Prop({
    type: Object,
    default: () => ({ vision: false, tools: false, fim: false, embeddings: false, reasoning: false }),
  })
  capabilities!: ModelCapabilities;

  @Prop({
    type: Object,
    default: () => ({ intelligence: null, coding: null, math: null, speed: null }),
  })
  benchmarks!: ModelBenchmarks;

  @Prop({ default: true })
  visible!: boolean;

  @Prop({ default: 50, min: 1, max: 100 })
  priority!: number;

  @Prop({ default: '' })
  notes!: string;

  @Prop({ type: String, default: 'chat' })
  apiType!: ModelApiType;

  @Prop({ type: [String], default: [] })
  manualFields!: ManualModelField[];

  @Prop({ type: String, enum: ['discovered', 'manual'], default: 'discovered' })
  source!: 'discovered' | 'manual';

  @Prop({ type: String, default: null })
  registryId!: string | null;

  @Prop({ type: Date, default: null })
  lastSeenAt!: Date | null;

  createdAt!: Date;
  updatedAt!: Date;
}

export type ProviderModelDocument = HydratedDocument<ProviderModel>;
export type ProviderModelRecord = ProviderModel & { _id: Types.ObjectId };
export const ProviderModelSchema = SchemaFactory.createForClass(ProviderModel);
// Discovery upserts by (provider, model id): the pair is the natural key.
ProviderModelSchema.index({ providerId: 1, modelId: 1 }, { unique: true });
ProviderModelSchema.index({ tier: 1 });
