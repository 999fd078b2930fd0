import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Types } from 'mongoose';

export class RoutingTestCase {
  prompt!: string;
  systemPrompt?: string;
  expectedCategory?: string;
  expectedTierMin?: string;
  expectedTierMax?: string;
}

/** A synthetic routing test suite: prompts with the category and tier band they should get. */
@Schema({ collection: 'routing_suites', versionKey: false, timestamps: true })
export class RoutingSuite {
  _id!: Types.ObjectId;

  @Prop({ required: true })
  name!: string;

  @Prop({ default: '' })
  description!: string;

  /** Tenant whose rule set and models a run uses unless the run names another. */
  @Prop({ type: String, default: null })
  tenantId!: string | null;

  @Prop({ type: [Object], default: [] })
  cases!: RoutingTestCase[];

  createdAt!: Date;
  updatedAt!: Date;
}

export class RoutingCaseResult {
  index!: number;
  prompt!: string;
  expectedCategory?: string;
  expectedTierMin?: string;
  expectedTierMax?: string;
  category!: string | null;
  tier!: string;
  model!: string | null;
  providerId!: string | null;
  confidence!: number;
  source!: string;
  /** Null when the case has no expectation for it. */
  categoryMatch!: boolean | null;
  tierMatch!: boolean | null;
  /** The decided tier is below `expectedTierMin`. */
  underRouted!: boolean;
  routingMs!: number;
}

export class RoutingRunSummary {
  total!: number;
  categoryChecked!: number;
  categoryMatches!: number;
  categoryAccuracy!: number | null;
  tierChecked!: number;
  tierMatches!: number;
  tierAccuracy!: number | null;
  underRouted!: number;
  /** Cases whose every expectation held, over cases with any expectation. */
  accuracy!: number | null;
  tierDistribution!: { tier: string; count: number }[];
  avgRoutingMs!: number;
}

export class RoutingRunEvaluation {
  model!: string;
  provider!: string;
  score!: number;
  summary!: string;
  qualitySuggestions!: string[];
  costSuggestions!: string[];
  evaluatedAt!: Date;
}

/** One run of a suite through the routing engine. */
@Schema({ collection: 'routing_suite_runs', versionKey: false })
export class RoutingSuiteRun {
  _id!: Types.ObjectId;

  @Prop({ required: true, index: true })
  suiteId!: string;

  @Prop({ required: true })
  tenantId!: string;

  @Prop({ required: true })
  createdAt!: Date;

  @Prop({ default: false })
  llmClassifier!: boolean;

  @Prop({ type: Object, required: true })
  summary!: RoutingRunSummary;

  @Prop({ type: [Object], default: [] })
  results!: RoutingCaseResult[];

  @Prop({ type: Object, default: null })
  evaluation!: RoutingRunEvaluation | null;
}

export const RoutingSuiteSchema = SchemaFactory.createForClass(RoutingSuite);
export const RoutingSuiteRunSchema = SchemaFactory.createForClass(RoutingSuiteRun);
RoutingSuiteRunSchema.index({ suiteId: 1, createdAt: -1 });
