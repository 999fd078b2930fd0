/**
 * Replay support: the prompt-free evidence a decision was made from, and how the engine reads it
 * back in place of the prompt. Stored with each auto-routed request (routing trace), it lets
 * replay re-run the production pipeline with a proposed rule set without the prompt text.
 *
 * What the text-reading stages become in a replay:
 * - signals: the recorded signals (token estimate, images, tools, domains, ...);
 * - keyword rules: a proposed rule matches when enough of its keywords are among the keywords that
 *   matched the original request (any rule); role rules match when a rule of the same name matched;
 *   token thresholds are re-applied to the recorded token estimate;
 * - local classifier: the recorded ranking (the best few categories and their probabilities);
 * - LLM classifier: the recorded answer, when there was one; it is never called again.
 */
import type { RoutingSignals } from '../router.interface';
import type { LlmClassification } from './llm-classifier';
import type { LocalPrediction } from './local-classifier';
import { type CompiledRuleSet, type RuleHit, type RuleOutcome, ruleHit, ruleOutcome } from './rules';
import type { TierPrediction } from './tier-model';

export interface RecordedRuleHit {
  kind: 'keyword' | 'role';
  name: string;
  matched: readonly string[];
}

/** The LLM classifier's answer as recorded, with the model that gave it. */
export interface RecordedLlmAnswer extends LlmClassification {
  model: string | null;
}

export interface RoutingEvidence {
  signals: RoutingSignals;
  /** The concrete model the client named (strictness), null for `auto`. */
  userModel: string | null;
  /** `max_completion_tokens`/`max_tokens` of the request, when set. */
  maxTokens: number | null;
  ruleHits: readonly RecordedRuleHit[];
  /** Local classifier ranking; null when it did not run (FIM fast path, no categories). */
  local: readonly { category: string; probability: number }[] | null;
  /** The tier model's prediction; absent in evidence recorded before it existed. */
  tierModel?: TierPrediction | null;
  llm: RecordedLlmAnswer | null;
}

/** Rule stage of a replay (see the file comment). */
export function replayRules(
  signals: RoutingSignals,
  recorded: readonly RecordedRuleHit[],
  compiled: CompiledRuleSet,
): RuleOutcome {
  const { ruleSet } = compiled;
  const hits: RuleHit[] = [];
  const roleNames = new Set(recorded.filter((hit) => hit.kind === 'role').map((hit) => hit.name));
  const keywordPool = new Set(
    recorded.filter((hit) => hit.kind === 'keyword').flatMap((hit) => hit.matched.map(normalise)),
  );
  for (const { rule } of compiled.roleRules) {
    if (!roleNames.has(rule.name)) continue;
    hits.push(ruleHit('role', rule, ruleSet, []));
  }
  for (const { rule } of compiled.keywordRules) {
    const matched = rule.keywords.filter((keyword) => keywordPool.has(normalise(keyword)));
    const needed = rule.match === 'all' ? rule.keywords.length : Math.max(1, rule.minMatches);
    if (matched.length < needed) continue;
    hits.push(ruleHit('keyword', rule, ruleSet, matched));
  }
  return ruleOutcome(hits, signals, ruleSet);
}

/** Local classifier stage of a replay: the recorded ranking as a prediction over `categories`. */
export function recordedPrediction(
  ranking: readonly { category: string; probability: number }[],
  categories: readonly string[],
): LocalPrediction | null {
  const known = ranking.filter((entry) => categories.includes(entry.category));
  const best = known[0];
  if (!best) return null;
  const byKey = new Map(known.map((entry) => [entry.category, entry.probability]));
  return {
    category: best.category,
    confidence: best.probability,
    ranking: known,
    probabilities: categories.map((key) => byKey.get(key) ?? 0),
    similarity: 0,
  };
}

function normalise(keyword: string): string {
  return keyword.trim().toLowerCase();
}
