import { type ModelResponseDto } from '../../api/models/model-response-dto';

export type Tier = NonNullable<ModelResponseDto['tier']>;

/** Model tiers, cheapest first (DESIGN.md §4). */
export const TIERS: readonly Tier[] = [
  'micro',
  'minimal',
  'low',
  'medium',
  'advanced',
  'high',
  'ultra',
  'critical',
];
