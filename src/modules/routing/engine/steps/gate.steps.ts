import type { RoutingSignals } from '../../router.interface';
import { extractSignals, type SignalTexts } from '../signals';
import { strictnessGate } from '../strictness';
import { type RoutingRun, usableUserModel } from './routing-run';

const NO_TEXTS: SignalTexts = { system: '', lastUser: '', previousUser: '' };

function signalSummary(signals: RoutingSignals): Record<string, unknown> {
  return {
    tokens: signals.tokens.total,
    messages: signals.messageCount,
    turns: signals.conversationTurns,
    images: signals.imageCount,
    tools: signals.toolCount,
    fim: signals.fimReason,
    agent: signals.isAgent,
    toolContinuation: signals.isToolContinuation,
    domains: signals.domains,
    codeLanguages: signals.codeLanguages,
    frustration: signals.frustration,
    longOutput: signals.longOutputRequested,
    language: signals.language,
  };
}

/** Facts about the request (tokens, images, tools, FIM, domains…); a replay uses the recorded ones. */
export function signalsStep(run: RoutingRun): void {
  const { input, replay } = run;
  const { signals, texts } = run.trace.run(
    'signals',
    {
      messages: input.messages?.length ?? (input.prompt !== undefined ? 1 : 0),
      tools: input.tools?.length ?? 0,
    },
    () => (replay ? { signals: replay.signals, texts: NO_TEXTS } : extractSignals(input)),
    (result) => ({ output: signalSummary(result.signals) }),
  );
  run.signals = signals;
  run.texts = texts;
  run.requiredTokens =
    signals.tokens.total +
    (input.max_completion_tokens ?? input.max_tokens ?? run.settings.outputReserveTokens);
}

/** Strictness off / fim_only: keeps the user's model without looking at the content. */
export function strictnessGateStep(run: RoutingRun): void {
  const { userModel, settings, signals } = run;
  const gate = run.trace.run(
    'strictness_gate',
    { strictness: settings.strictness, userModel, fim: signals.isFim },
    () => strictnessGate(userModel, settings.strictness, signals.isFim),
    (code) => ({ output: { keepUserModel: code !== null, code } }),
  );
  if (!gate || !userModel) return;
  const candidate = usableUserModel(run.context.models, userModel, run.requiredTokens);
  const tier = candidate?.tier ?? 'medium';
  run.outcome = {
    routed: false,
    category: null,
    tier,
    model: {
      id: candidate?.id ?? userModel,
      providerId: candidate?.providerId ?? null,
      providerSlug: candidate?.providerSlug,
      tier: candidate?.tier,
    },
    confidence: 1,
    source: 'user_model',
    selectionMethod: 'user_model',
    domain: null,
    overrides: [{ code: gate, from: tier, to: tier, detail: `kept ${userModel}` }],
    llm: null,
  };
}
