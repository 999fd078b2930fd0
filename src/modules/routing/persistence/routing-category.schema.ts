import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Types } from 'mongoose';

import type { Tier } from '../../../common/tiers';
import type { ScoringProfile } from '../engine/routing.types';

/** A routing category as stored: built-ins are seeded once, then owned by admins. */
@Schema({ collection: 'routing_categories', timestamps: true, minimize: false })
export class RoutingCategoryDoc {
  @Prop({ required: true, unique: true })
  key!: string;

  @Prop({ required: true, trim: true })
  name!: string;

  @Prop({ default: '' })
  description!: string;

  @Prop({ required: true, type: String })
  tier!: Tier;

  /** The category's own training examples (built-ins: the shipped ones until an admin edits them). */
  @Prop({ type: [String], default: [] })
  examples!: string[];

  /** Examples added by admins (e.g. from corrected requests); kept by "restore built-ins". */
  @Prop({ type: [String], default: [] })
  addedExamples!: string[];

  @Prop({ type: String, default: null })
  defaultModel!: string | null;

  @Prop({ type: String, default: null })
  fallbackModel!: string | null;

  @Prop({ default: false })
  requiresVision!: boolean;

  @Prop({ type: String, default: null })
  systemPrompt!: string | null;

  @Prop({ type: String, default: null })
  scoringProfile!: ScoringProfile | null;

  @Prop({ default: false })
  builtIn!: boolean;

  @Prop({ default: true })
  enabled!: boolean;

  /** Display order within a tier (built-ins: the shipped order; custom ones after them). */
  @Prop({ default: 1000 })
  order!: number;

  createdAt!: Date;
  updatedAt!: Date;
}

export type RoutingCategoryRecord = RoutingCategoryDoc & { _id: Types.ObjectId };
export const RoutingCategorySchema = SchemaFactory.createForClass(RoutingCategoryDoc);
