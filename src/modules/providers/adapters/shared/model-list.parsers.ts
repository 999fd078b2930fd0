import type { DiscoveredModel } from '../provider-adapter';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const posInt = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v) : undefined;

/** Parses a JSON body; undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * OpenAI-style `GET /models` (`{data:[{id, owned_by}]}`), including vLLM's `max_model_len` and
 * OpenRouter's `context_length`, `top_provider.max_completion_tokens` and per-token `pricing`.
 * Returns undefined when the body is not such a list.
 */
export function parseOpenAiModelList(body: unknown): DiscoveredModel[] | undefined {
  if (!isObject(body) || !Array.isArray(body.data)) return undefined;
  const models: DiscoveredModel[] = [];
  for (const item of body.data) {
    if (!isObject(item)) continue;
    const id = str(item.id);
    if (!id) continue;
    const model: DiscoveredModel = { modelId: id };
    const name = str(item.name) ?? str(item.display_name);
    if (name) model.name = name;
    const ownedBy = str(item.owned_by);
    if (ownedBy) model.ownedBy = ownedBy;
    const context = posInt(item.context_length) ?? posInt(item.max_model_len) ?? posInt(item.context_window);
    if (context) model.contextWindow = context;
    const top = isObject(item.top_provider) ? item.top_provider : undefined;
    const maxOut = posInt(top?.max_completion_tokens) ?? posInt(item.max_output_tokens);
    if (maxOut) model.maxOutputTokens = maxOut;
    if (isObject(item.pricing)) {
      const prompt = Number(item.pricing.prompt);
      const completion = Number(item.pricing.completion);
      if (Number.isFinite(prompt) && Number.isFinite(completion) && prompt >= 0 && completion >= 0) {
        const cached = Number(item.pricing.input_cache_read);
        model.pricing = {
          inputPer1M: roundPrice(prompt * 1e6),
          outputPer1M: roundPrice(completion * 1e6),
          cachedInputPer1M: Number.isFinite(cached) && cached > 0 ? roundPrice(cached * 1e6) : null,
        };
      }
    }
    if (/embed/i.test(id)) model.capabilities = { embeddings: true };
    models.push(model);
  }
  return models;
}

/** Ollama `GET /api/tags` (`{models:[{name, model, details}]}`). */
export function parseOllamaTags(body: unknown): DiscoveredModel[] | undefined {
  if (!isObject(body) || !Array.isArray(body.models)) return undefined;
  const models: DiscoveredModel[] = [];
  for (const item of body.models) {
    if (!isObject(item)) continue;
    const id = str(item.model) ?? str(item.name);
    if (!id) continue;
    const model: DiscoveredModel = { modelId: id, name: str(item.name) ?? id };
    const details = isObject(item.details) ? item.details : undefined;
    const family = str(details?.family);
    if (family) model.ownedBy = family;
    const context = posInt(item.context_length);
    if (context) model.contextWindow = context;
    if (/embed/i.test(id) || family?.includes('bert')) model.capabilities = { embeddings: true };
    models.push(model);
  }
  return models;
}

/** Azure OpenAI `GET /openai/deployments` (`{data:[{id, model, status}]}`): the deployment is the model id. */
export function parseAzureDeployments(body: unknown): DiscoveredModel[] | undefined {
  if (!isObject(body) || !Array.isArray(body.data)) return undefined;
  const models: DiscoveredModel[] = [];
  for (const item of body.data) {
    if (!isObject(item)) continue;
    const id = str(item.id) ?? str(item.name);
    if (!id) continue;
    const status = str(item.status);
    if (status && !['succeeded', 'running'].includes(status.toLowerCase())) continue;
    const baseModel =
      str(item.model) ??
      (isObject(item.properties) && isObject(item.properties.model)
        ? str(item.properties.model.name)
        : undefined);
    const model: DiscoveredModel = { modelId: id, name: id };
    if (baseModel) model.baseModel = baseModel;
    if (/embed/i.test(baseModel ?? id)) {
      model.capabilities = { embeddings: true };
      model.apiType = 'embeddings';
    }
    models.push(model);
  }
  return models;
}

/**
 * Bedrock `GET /foundation-models` (`{modelSummaries:[...]}`): on-demand models that produce text
 * (and embedding models). Provisioned-only models cannot be called without a provisioned ARN.
 */
export function parseBedrockFoundationModels(body: unknown): DiscoveredModel[] | undefined {
  if (!isObject(body) || !Array.isArray(body.modelSummaries)) return undefined;
  const models: DiscoveredModel[] = [];
  for (const item of body.modelSummaries) {
    if (!isObject(item)) continue;
    const id = str(item.modelId);
    if (!id) continue;
    const inference = Array.isArray(item.inferenceTypesSupported) ? item.inferenceTypesSupported : undefined;
    if (inference && !inference.includes('ON_DEMAND')) continue;
    const lifecycle = isObject(item.modelLifecycle) ? str(item.modelLifecycle.status) : undefined;
    if (lifecycle && lifecycle !== 'ACTIVE') continue;
    const output = Array.isArray(item.outputModalities) ? item.outputModalities : [];
    const input = Array.isArray(item.inputModalities) ? item.inputModalities : [];
    const embeddings = output.includes('EMBEDDING');
    if (output.length > 0 && !output.includes('TEXT') && !embeddings) continue;
    const model: DiscoveredModel = { modelId: id, name: str(item.modelName) ?? id };
    const provider = str(item.providerName);
    if (provider) model.ownedBy = provider;
    model.capabilities = { vision: input.includes('IMAGE'), embeddings };
    if (embeddings) model.apiType = 'embeddings';
    models.push(model);
  }
  return models;
}

function roundPrice(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
