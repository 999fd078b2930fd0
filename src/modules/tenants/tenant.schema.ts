import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument, Types } from 'mongoose';

import type {
  BudgetGuard,
  Budgets,
  FallbackChain,
  LoadBalancing,
  ModelAccess,
  ModelAlias,
  Quota,
  RateLimit,
  TenantRouting,
} from './tenant.types';

@Schema({ collection: 'tenants', timestamps: true, minimize: false })
export class Tenant {
  @Prop({ required: true, unique: true })
  slug!: string;

  @Prop({ required: true, trim: true })
  name!: string;

  @Prop({ default: true })
  active!: boolean;

  @Prop({ default: false })
  isDefault!: boolean;

  @Prop({ type: [String], default: [] })
  providerIds!: string[];

  @Prop({ type: Object, required: true })
  modelAccess!: ModelAccess;

  @Prop({ type: [Object], default: [] })
  aliases!: ModelAlias[];

  @Prop({ type: Object, required: true })
  rateLimit!: RateLimit;

  @Prop({ type: Object, required: true })
  budgets!: Budgets;

  @Prop({ type: [Object], default: [] })
  quotas!: Quota[];

  @Prop({ type: Object, required: true })
  budgetGuard!: BudgetGuard;

  @Prop({ type: Object, required: true })
  routing!: TenantRouting;

  @Prop({ type: String, default: null })
  defaultSystemPrompt!: string | null;

  @Prop({ type: [Object], default: [] })
  fallbackChains!: FallbackChain[];

  @Prop({ type: Object, required: true })
  loadBalancing!: LoadBalancing;

  @Prop({ default: false })
  promptLogging!: boolean;

  @Prop({ default: 0, min: 0 })
  keyLifetimeDays!: number;

  createdAt!: Date;
  updatedAt!: Date;
}

export type TenantDocument = HydratedDocument<Tenant>;
export type TenantRecord = Tenant & { _id: Types.ObjectId };
export const TenantSchema = SchemaFactory.createForClass(Tenant);
