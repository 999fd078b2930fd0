/**
 * Per-minute limits (requests or tokens) counted with a sliding window: the previous minute's count,
 * weighted by how much of it still overlaps the last 60 s, plus the current minute's count. Two
 * counters per key, no per-request log, so it is cheap in memory and in Redis alike.
 */

export const WINDOW_MS = 60_000;

/** One limit to check (and charge) in a request. */
export interface LimitRule {
  /**
   * Counter name, e.g. `{t:<tenantId>}:rpm`. Rules checked in one call should share a `{group}`
   * prefix (Redis Cluster keeps a group's counters in one slot); a key without one is its own group.
   */
  key: string;
  /** Allowed amount per minute; 0 = unlimited (the rule only counts). */
  limit: number;
  /**
   * Amount this request adds now. 0 = check only: blocked once usage has reached the limit (token
   * limits, whose real cost is only known after the answer and is added with `add()`).
   */
  cost: number;
}

/** Counter state of one rule after the check. */
export interface RuleState {
  limit: number;
  /** Sliding-window usage including this request's cost when it was admitted. */
  used: number;
  remaining: number;
  /** Milliseconds until the current minute ends (OpenAI's `x-ratelimit-reset-*`). */
  resetMs: number;
}

export interface LimitDecision {
  allowed: boolean;
  /** Index into the rules of the first rule that refused, when not allowed. */
  blockedIndex: number;
  /** When not allowed: how long until the blocking rule would admit this request. */
  retryAfterMs: number;
  rules: RuleState[];
}

export interface RateLimiter {
  /**
   * Checks every rule; only when all pass are their costs charged (all or nothing). Synchronous
   * for in-process counters (no promise on the hot path), a promise when Redis is asked. `now`
   * (epoch ms) is for tests; without it the shared limiter uses Redis' clock, not this pod's.
   */
  consume(rules: readonly LimitRule[], now?: number): LimitDecision | Promise<LimitDecision>;
  /** Charges amounts without checking (tokens counted after the answer). */
  add(charges: readonly { key: string; amount: number }[], now?: number): Promise<void>;
}

export const RATE_LIMITER = Symbol('RATE_LIMITER');

/** Window number and milliseconds elapsed inside it. */
export function windowOf(now: number): { index: number; elapsedMs: number } {
  const index = Math.floor(now / WINDOW_MS);
  return { index, elapsedMs: now - index * WINDOW_MS };
}

export function slidingUsage(previous: number, current: number, elapsedMs: number): number {
  return previous * ((WINDOW_MS - elapsedMs) / WINDOW_MS) + current;
}

/** Whether a rule refuses the request given the sliding usage before this request. */
export function refuses(rule: LimitRule, usedBefore: number): boolean {
  if (rule.limit <= 0) return false;
  return rule.cost > 0 ? usedBefore + rule.cost > rule.limit : usedBefore >= rule.limit;
}

/**
 * Milliseconds until a refused rule would admit `cost` more: either later in this minute, as the
 * previous minute's weight fades, or in the next minute once the current count fades too.
 */
export function retryAfterMs(rule: LimitRule, previous: number, current: number, elapsedMs: number): number {
  const need = rule.cost > 0 ? rule.cost : 1;
  const room = rule.limit - need;
  if (current <= room && previous > 0) {
    // prev * (1 - t/W) + cur <= room  →  t >= W * (1 - (room - cur) / prev)
    const t = WINDOW_MS * (1 - (room - current) / previous);
    return Math.max(1, Math.ceil(t - elapsedMs));
  }
  if (current <= 0) return Math.max(1, WINDOW_MS - elapsedMs);
  // Next minute: cur * (1 - x/W) <= room  →  x >= W * (1 - room / cur)
  const x = room <= 0 ? WINDOW_MS : WINDOW_MS * (1 - room / current);
  return Math.max(1, Math.ceil(WINDOW_MS - elapsedMs + x));
}

/** Builds the decision from the counters read for each rule (shared by the memory and Redis limiters). */
export function decide(
  rules: readonly LimitRule[],
  counters: readonly { previous: number; current: number }[],
  elapsedMs: number,
): LimitDecision {
  const resetMs = WINDOW_MS - elapsedMs;
  let blockedIndex = -1;
  let retry = 0;
  const states: RuleState[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as LimitRule;
    const counter = counters[i] ?? { previous: 0, current: 0 };
    const used = slidingUsage(counter.previous, counter.current, elapsedMs);
    if (blockedIndex < 0 && refuses(rule, used)) {
      blockedIndex = i;
      retry = retryAfterMs(rule, counter.previous, counter.current, elapsedMs);
    }
    states.push({ limit: rule.limit, used, remaining: 0, resetMs });
  }
  const allowed = blockedIndex < 0;
  for (let i = 0; i < states.length; i++) {
    const state = states[i] as RuleState;
    if (allowed) state.used += (rules[i] as LimitRule).cost;
    state.remaining = state.limit > 0 ? Math.max(0, Math.floor(state.limit - state.used)) : Infinity;
  }
  return { allowed, blockedIndex, retryAfterMs: retry, rules: states };
}
