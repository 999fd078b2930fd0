import type { NetworkFailure } from '../provider-http';
import type { ModelApiType, ModelCapabilities, ModelPricing } from '../provider.types';

/** One line of a connection check: what was tried and what happened. */
export interface ProbeStep {
  action: string;
  method?: string;
  url?: string;
  ok: boolean;
  status?: number;
  latencyMs?: number;
  /** Why it failed: a network cause, or `auth`/`not_found`/`http`/`bad_response`. */
  cause?: NetworkFailure | 'auth' | 'not_found' | 'http' | 'bad_response' | 'config';
  message: string;
}

export interface CheckResult {
  ok: boolean;
  message: string;
  /** The path that answered (`/v1`, `/api/v1`, `''`); stored on the provider. */
  apiPath?: string;
  modelCount?: number;
  suggestion?: string;
  suggestedBaseUrl?: string;
  latencyMs: number;
  steps: ProbeStep[];
}

/** A model as the provider lists it, before the registry fills in metadata. */
export interface DiscoveredModel {
  modelId: string;
  name?: string;
  /** Model name to match against the registry when it differs from the id (Azure deployments). */
  baseModel?: string;
  ownedBy?: string;
  contextWindow?: number;
  maxOutputTokens?: number;
  pricing?: ModelPricing;
  capabilities?: Partial<ModelCapabilities>;
  apiType?: ModelApiType;
}

export interface ListModelsResult extends CheckResult {
  models: DiscoveredModel[];
}
