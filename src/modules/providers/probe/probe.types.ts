import type { DiscoveredModel } from '../adapters/shared/model-list.parsers';
import type { NetworkFailure } from '../provider-http';

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

export interface ListModelsResult extends CheckResult {
  models: DiscoveredModel[];
}

export type { DiscoveredModel };
