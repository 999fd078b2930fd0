import type { Tier } from '../../../../common/tiers';
import type {
  OverrideRecord,
  RoutingContext,
  RoutingDecision,
  RoutingInput,
  RoutingSignals,
  TraceStep,
  TraceStepName,
} from '../../router.interface';
import type { ClassifierRegistry } from '../classifier-registry';
import type { Combined } from '../combine';
import type { RoutingEvidence } from '../evidence';
import type { LlmClassifierOutcome } from '../llm-classifier';
import type { LocalClassifier, LocalPrediction, TextFeatures } from '../local-classifier';
import type { CostMode, ModelCandidate, RoutingCategory, TenantRoutingSettings } from '../routing.types';
import type { RuleOutcome } from '../rules';
import { findModel, scoringProfileFor } from '../selection';
import { resolveSettings } from '../settings';
import type { SignalTexts } from '../signals';
import { isAutoModel } from '../strictness';
import type { TierPrediction } from '../tier-model';

/** One step of {@link ROUTING_STEPS}: reads what earlier steps left on the run and adds its own. */
export type RoutingStep = (run: RoutingRun) => void | Promise<void>;

/** What a deciding step hands to the decision builder; the rest comes from the run. */
export type RunOutcome = Pick<
  RoutingDecision,
  'routed' | 'tier' | 'model' | 'confidence' | 'source' | 'selectionMethod' | 'domain' | 'overrides'
> & { category: RoutingCategory | null; llm: LlmClassifierOutcome | null };

/** The enabled categories by key, and the keys the classifier boosts for code and images. */
export interface CategoryIndex {
  byKey: Map<string, RoutingCategory>;
  codeKeys: Set<string>;
  visionKeys: Set<string>;
  keys: Set<string>;
}

const categoryIndexes = new WeakMap<readonly RoutingCategory[], CategoryIndex>();

/** Cached per categories array (the router keeps one array until the categories change). */
export function indexCategories(categories: readonly RoutingCategory[]): CategoryIndex {
  const cached = categoryIndexes.get(categories);
  if (cached) return cached;
  const byKey = new Map<string, RoutingCategory>();
  const codeKeys = new Set<string>();
  const visionKeys = new Set<string>();
  for (const category of categories) {
    if (category.enabled === false) continue;
    byKey.set(category.key, category);
    const profile = scoringProfileFor(category);
    if (profile === 'coding' || profile === 'design') codeKeys.add(category.key);
    if (category.requiresVision === true) visionKeys.add(category.key);
  }
  const index = { byKey, codeKeys, visionKeys, keys: new Set(byKey.keys()) };
  categoryIndexes.set(categories, index);
  return index;
}

/** The steps' timings and summaries, in order (the decision's `trace`). */
export class Trace {
  readonly steps: TraceStep[] = [];

  run<T>(
    name: TraceStepName,
    input: Record<string, unknown>,
    body: () => T,
    describe: (result: T) => Omit<TraceStep, 'name' | 'input' | 'durationUs'>,
  ): T {
    const started = performance.now();
    const result = body();
    const durationUs = Math.round((performance.now() - started) * 1000);
    this.steps.push({ name, input, durationUs, ...describe(result) });
    return result;
  }

  skip(name: TraceStepName, reason: string): void {
    this.steps.push({ name, input: {}, output: { reason }, skipped: true, durationUs: 0 });
  }
}

/** The best visible model matching the user's reference with room for the request, or null. */
export function usableUserModel(
  models: readonly ModelCandidate[],
  reference: string,
  requiredTokens: number,
): ModelCandidate | null {
  const matches = findModel(models, reference)
    .filter((model) => model.visible && model.contextWindow >= requiredTokens)
    .sort((a, b) => (b.priority ?? 50) - (a.priority ?? 50));
  return matches[0] ?? null;
}

/**
 * One routing of one request: its inputs, what each step found so far, and the trace. Steps run
 * in order on it; the step that decides sets {@link outcome} and the engine stops there.
 */
export class RoutingRun {
  readonly started = performance.now();
  readonly trace = new Trace();
  readonly settings: TenantRoutingSettings;
  readonly categoryIndex: CategoryIndex;
  /** The model the client named, or null for auto. */
  readonly userModel: string | null;
  /** What {@link RoutingDecision.evidence} is built from. */
  readonly evidence: {
    ruleHits: RoutingEvidence['ruleHits'];
    local: RoutingEvidence['local'];
    tierModel: RoutingEvidence['tierModel'];
  } = { ruleHits: [], local: null, tierModel: null };

  signals!: RoutingSignals;
  texts!: SignalTexts;
  /** Prompt tokens plus the output the request asks for (or the settings' reserve). */
  requiredTokens = 0;

  // Classification (skipped on the fill-in-the-middle fast path, which sets `decision` alone).
  rules?: RuleOutcome;
  classifier?: LocalClassifier;
  /** The text the category classifier and the tier model read. */
  requestText = '';
  /** Features of `requestText`, computed once for the category classifier and the tier model. */
  features?: TextFeatures;
  prediction: LocalPrediction | null = null;
  tierPrediction: TierPrediction | null = null;
  decision!: Combined;
  llm: LlmClassifierOutcome | null = null;
  classifierFrustration = false;
  classifierLongOutput = false;

  // Adjustments of the decided tier.
  readonly overrides: OverrideRecord[] = [];
  category: RoutingCategory | null = null;
  tier!: Tier;
  costMode!: CostMode;

  /** Set by the step that decided. */
  outcome?: RunOutcome;

  constructor(
    readonly input: RoutingInput,
    readonly context: RoutingContext,
    /** Recorded evidence when re-routing a logged request, else null. */
    readonly replay: RoutingEvidence | null,
    readonly registry: ClassifierRegistry,
  ) {
    this.settings = resolveSettings(context.settings);
    this.userModel = isAutoModel(input.model) ? null : input.model;
    this.categoryIndex = indexCategories(context.categories);
  }
}
