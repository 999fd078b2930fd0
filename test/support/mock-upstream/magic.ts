import type { StreamBehaviour } from './types';

/**
 * Behaviour selected by words in the model id (see README.md), so tests that cannot reach the mock
 * object (another process, a provider configured through the admin API) still get failures on demand.
 */
export interface MagicBehaviour {
  failStatus?: number;
  reset?: boolean;
  hang?: boolean;
  delayMs?: number;
  contextWindow?: number;
  maxOutputTokens?: number;
  toolCalls?: 'single' | 'parallel';
  stream?: StreamBehaviour;
}

export const SMALL_CONTEXT_WINDOW = 1024;
const DEFAULT_SLOW_MS = 500;
const DEFAULT_DRIP_MS = 50;
const MIDSTREAM_AFTER = 2;

const word = (body: string): RegExp => new RegExp(`(?:^|[-_./:])${body}(?=$|[-_./:])`, 'i');
const FAIL_STATUS = word('fail-(\\d{3})');
const FAIL_RESET = word('fail-reset');
const HANG = word('hang');
const SLOW = word('slow(?:-(\\d+))?');
const DRIP = word('drip(?:-(\\d+))?');
const MIDSTREAM = word('midstream-(reset|error|hang)');
const CTX_SMALL = word('ctx-small');
const CTX_N = word('ctx-(\\d+)');
const MAXOUT = word('maxout-(\\d+)');
const PARALLEL_TOOLS = word('parallel-tools');
const TOOL_CALL = word('tool-call');

const cache = new Map<string, MagicBehaviour | null>();
const CACHE_LIMIT = 2000;

/** The magic behaviour of a model id, or null for an ordinary model (cached: this is on the hot path). */
export function magicFor(model: string | undefined): MagicBehaviour | null {
  if (!model) return null;
  const cached = cache.get(model);
  if (cached !== undefined) return cached;
  const parsed = parse(model);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(model, parsed);
  return parsed;
}

function parse(model: string): MagicBehaviour | null {
  const m: MagicBehaviour = {};
  let found = false;
  const num = (re: RegExp): number | undefined => {
    const hit = re.exec(model);
    if (!hit) return undefined;
    found = true;
    return hit[1] === undefined ? NaN : Number(hit[1]);
  };
  const flag = (re: RegExp): boolean => {
    const hit = re.test(model);
    if (hit) found = true;
    return hit;
  };

  const failStatus = num(FAIL_STATUS);
  if (failStatus !== undefined) m.failStatus = failStatus;
  if (flag(FAIL_RESET)) m.reset = true;
  if (flag(HANG)) m.hang = true;
  const slow = num(SLOW);
  if (slow !== undefined) m.delayMs = Number.isNaN(slow) ? DEFAULT_SLOW_MS : slow;
  const drip = num(DRIP);
  const midstream = MIDSTREAM.exec(model);
  if (drip !== undefined || midstream) {
    found = true;
    m.stream = {};
    if (drip !== undefined) m.stream.chunkDelayMs = Number.isNaN(drip) ? DEFAULT_DRIP_MS : drip;
    if (midstream) {
      m.stream.failAfterChunks = MIDSTREAM_AFTER;
      m.stream.failWith = midstream[1]!.toLowerCase() as 'reset' | 'error' | 'hang';
    }
  }
  if (flag(CTX_SMALL)) m.contextWindow = SMALL_CONTEXT_WINDOW;
  const ctx = num(CTX_N);
  if (ctx !== undefined && !Number.isNaN(ctx)) m.contextWindow = ctx;
  const maxout = num(MAXOUT);
  if (maxout !== undefined && !Number.isNaN(maxout)) m.maxOutputTokens = maxout;
  if (flag(PARALLEL_TOOLS)) m.toolCalls = 'parallel';
  else if (flag(TOOL_CALL)) m.toolCalls = 'single';
  return found ? m : null;
}
