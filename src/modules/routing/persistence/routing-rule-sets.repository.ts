import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';

import type { RuleSet } from '../engine/routing.types';
import {
  DEFAULT_RULE_SET_SCOPE,
  RoutingRuleSetDoc,
  type RoutingRuleSetRecord,
  type RuleSetScope,
} from './routing-rule-set.schema';

/** The engine-facing fields of a rule set (its id and scope are the document's). */
export function ruleSetFields(ruleSet: RuleSet): Omit<RuleSet, 'id'> {
  return {
    name: ruleSet.name,
    tokenThresholds: { ...ruleSet.tokenThresholds },
    keywordRules: ruleSet.keywordRules.map((rule) => ({ ...rule, keywords: [...rule.keywords] })),
    systemPromptRoles: ruleSet.systemPromptRoles.map((rule) => ({ ...rule })),
    weights: { ...ruleSet.weights },
    classifier: { ...ruleSet.classifier },
    costMode: ruleSet.costMode,
    tierBoost: ruleSet.tierBoost,
  };
}

/** The engine's view of a stored rule set. */
export function toRuleSet(record: RoutingRuleSetRecord): RuleSet {
  return { id: String(record._id), ...ruleSetFields(record) };
}

/** The only code touching the `routing_rule_sets` collection. */
@Injectable()
export class RoutingRuleSetsRepository {
  constructor(@InjectModel(RoutingRuleSetDoc.name) private readonly model: Model<RoutingRuleSetDoc>) {}

  findAll(): Promise<RoutingRuleSetRecord[]> {
    return this.model.find().sort({ scope: 1 }).lean<RoutingRuleSetRecord[]>().exec();
  }

  findByScope(scope: RuleSetScope): Promise<RoutingRuleSetRecord | null> {
    return this.model.findOne({ scope }).lean<RoutingRuleSetRecord>().exec();
  }

  /** Creates or replaces the rule set of a scope. */
  async put(scope: RuleSetScope, tenantId: string | null, ruleSet: RuleSet): Promise<RoutingRuleSetRecord> {
    const update = { $set: { scope, tenantId, ...ruleSetFields(ruleSet) } };
    const options = { new: true, upsert: true, runValidators: true } as const;
    try {
      return await this.model
        .findOneAndUpdate({ scope }, update, options)
        .lean<RoutingRuleSetRecord>()
        .orFail()
        .exec();
    } catch (error) {
      // Two concurrent first writes of the same scope: the loser retries as an update.
      if ((error as { code?: number }).code !== 11000) throw error;
      return this.model
        .findOneAndUpdate({ scope }, update, options)
        .lean<RoutingRuleSetRecord>()
        .orFail()
        .exec();
    }
  }

  async delete(scope: RuleSetScope): Promise<boolean> {
    if (scope === DEFAULT_RULE_SET_SCOPE) return false;
    return (await this.model.deleteOne({ scope }).exec()).deletedCount === 1;
  }

  /** Inserts the global default once; an existing default is never touched. */
  async insertDefaultIfMissing(ruleSet: RuleSet): Promise<void> {
    try {
      await this.model
        .updateOne(
          { scope: DEFAULT_RULE_SET_SCOPE },
          { $setOnInsert: { scope: DEFAULT_RULE_SET_SCOPE, tenantId: null, ...ruleSetFields(ruleSet) } },
          { upsert: true },
        )
        .exec();
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
    }
  }
}
