import type { CostInfo } from '../cost/cost-calculator';
import type { AttemptRecord, DispatchTarget } from '../dispatch/resilient-dispatcher';

/** Tokens of one request, as the upstream reported them or as the gateway estimated them. */
export interface Usage {
  input: number;
  output: number;
  /** Part of `input` the provider read from its prompt cache (0 when it reports none). */
  cachedInput: number;
  estimated: boolean;
}

/** How a request ended, for the client answer's bookkeeping, the metrics and the analytics record. */
export interface Outcome {
  status: 'success' | 'error' | 'aborted';
  httpStatus: number;
  errorType?: string;
  errorCode?: string;
  errorMessage?: string;
  target?: DispatchTarget;
  attempts: AttemptRecord[];
  upstreamMs: number;
  ttftMs?: number;
  usage?: Usage;
  cost?: CostInfo;
  /** The answer's text, kept only when the tenant logs prompts. */
  responseText?: string;
}
