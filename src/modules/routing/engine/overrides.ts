/**
 * Stage 5: safety overrides. Each one may only raise the tier, and every change is recorded in order
 * (the reference system overwrote the list and let its low-confidence rule lower high tiers).
 */
import { compareTiers, maxTier, shiftTier, type Tier } from '../../../common/tiers';
import type { OverrideCode, OverrideRecord, RoutingSignals } from '../router.interface';
import type { Domain, OverrideSettings } from './routing.types';

export interface OverrideInput {
  tier: Tier;
  category: string | null;
  categoryRequiresVision: boolean;
  confidence: number;
  domain: Domain | null;
  signals: RoutingSignals;
  /** Tier implied by the request size (rule-set token thresholds). */
  tokenTier: Tier;
  /** Frustration or long output flagged by the LLM classifier (in addition to the signals). */
  classifierFrustration?: boolean;
  classifierLongOutput?: boolean;
}

export interface TierChange {
  tier: Tier;
  overrides: OverrideRecord[];
}

/** Categories whose work does not get harder as a conversation grows. */
const TURN_EXEMPT_PREFIXES = [
  'extraction',
  'summary',
  'translation',
  'chat_title',
  'code_autocomplete',
  'format',
];
const FRUSTRATION_MIN_TOKENS = 30;

/** Raises `current` to at least `target`, recording the change; never lowers. */
function raise(change: TierChange, code: OverrideCode, target: Tier, detail?: string): void {
  if (compareTiers(target, change.tier) <= 0) return;
  change.overrides.push({ code, from: change.tier, to: target, ...(detail ? { detail } : {}) });
  change.tier = target;
}

export function applyOverrides(input: OverrideInput, settings: OverrideSettings): TierChange {
  const change: TierChange = { tier: input.tier, overrides: [] };
  const { signals } = input;

  if (settings.vision && signals.hasImages && !input.categoryRequiresVision) {
    // The text classifier cannot see the picture: cheap tiers go to low, low goes to medium.
    const target =
      compareTiers(change.tier, 'low') < 0
        ? 'low'
        : compareTiers(change.tier, 'low') === 0
          ? 'medium'
          : change.tier;
    raise(change, 'vision_upgrade', target, `${signals.imageCount} image(s)`);
  }
  if (settings.toolCalls && signals.hasTools) {
    raise(change, 'tool_call_upgrade', settings.toolCallMinTier, `${signals.toolCount} tool(s)`);
  }
  const cues = signals.cues ?? [];
  // A short plain question, an easy edit or a one-word answer is not made risky by a classifier
  // that is unsure of it.
  const easy = cues.includes('short_question') || cues.includes('easy_edit') || cues.includes('terse_answer');
  if (settings.lowConfidence && input.confidence < settings.lowConfidenceThreshold && !easy) {
    raise(
      change,
      'low_confidence_floor',
      settings.lowConfidenceFloor,
      `confidence ${input.confidence.toFixed(2)} < ${settings.lowConfidenceThreshold}`,
    );
  }
  if (settings.domainGate) {
    const domains = new Set<Domain>(signals.domains);
    if (input.domain) domains.add(input.domain);
    const gated = settings.domainGateDomains.find((domain) => domains.has(domain));
    // Translating or proofreading a contract or a medical letter is still an easy edit.
    if (gated && !cues.includes('easy_edit')) raise(change, 'domain_gate', settings.domainGateMinTier, gated);
  }
  if (
    settings.conversationTurns &&
    signals.conversationTurns >= settings.conversationTurnThreshold &&
    !TURN_EXEMPT_PREFIXES.some((prefix) => input.category?.startsWith(prefix))
  ) {
    raise(
      change,
      'conversation_turn_upgrade',
      shiftTier(change.tier, 1),
      `${signals.conversationTurns} turns`,
    );
  }
  if (
    settings.frustration &&
    (signals.frustration || input.classifierFrustration === true) &&
    !signals.isToolContinuation &&
    signals.tokens.total >= FRUSTRATION_MIN_TOKENS
  ) {
    raise(change, 'frustration_upgrade', shiftTier(change.tier, 1));
  }
  if (settings.outputLength && (signals.longOutputRequested || input.classifierLongOutput === true)) {
    raise(change, 'output_length_upgrade', maxTier(change.tier, 'low'));
  }
  if (settings.longContext) {
    raise(change, 'long_context', input.tokenTier, `≈${signals.tokens.total} tokens`);
  }
  return change;
}

/** Stage 5b: the previous request of the session filled much of its window → one tier up. */
export function applySessionFill(
  tier: Tier,
  previousFill: number | undefined,
  settings: OverrideSettings,
): TierChange {
  const change: TierChange = { tier, overrides: [] };
  if (!settings.sessionFill || previousFill === undefined || !(previousFill >= settings.sessionFillThreshold))
    return change;
  raise(
    change,
    'session_fill_upgrade',
    shiftTier(tier, 1),
    `${Math.round(previousFill * 100)}% of the window used`,
  );
  return change;
}
