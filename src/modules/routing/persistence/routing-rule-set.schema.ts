import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Types } from 'mongoose';

import type {
  ClassifierSettings,
  CostMode,
  KeywordRule,
  RoleRule,
  SignalWeights,
  TokenThresholds,
} from '../engine/routing.types';

/** `default` for the global rule set, else `tenant:<tenantId>`. */
export type RuleSetScope = string;
export const DEFAULT_RULE_SET_SCOPE = 'default';
export function tenantRuleSetScope(tenantId: string): RuleSetScope {
  return `tenant:${tenantId}`;
}

/** A rule set as stored (the engine's RuleSet plus its scope); one document per scope. */
@Schema({ collection: 'routing_rule_sets', timestamps: true, minimize: false })
export class RoutingRuleSetDoc {
  @Prop({ required: true, unique: true })
  scope!: RuleSetScope;

  @Prop({ type: String, default: null })
  tenantId!: string | null;

  @Prop({ required: true, trim: true })
  name!: string;

  @Prop({ type: Object, required: true })
  tokenThresholds!: TokenThresholds;

  @Prop({ type: [Object], default: [] })
  keywordRules!: KeywordRule[];

  @Prop({ type: [Object], default: [] })
  systemPromptRoles!: RoleRule[];

  @Prop({ type: Object, required: true })
  weights!: SignalWeights;

  @Prop({ type: Object, required: true })
  classifier!: ClassifierSettings;

  @Prop({ required: true, type: String })
  costMode!: CostMode;

  @Prop({ default: 0 })
  tierBoost!: number;

  createdAt!: Date;
  updatedAt!: Date;
}

export type RoutingRuleSetRecord = RoutingRuleSetDoc & { _id: Types.ObjectId };
export const RoutingRuleSetSchema = SchemaFactory.createForClass(RoutingRuleSetDoc);
