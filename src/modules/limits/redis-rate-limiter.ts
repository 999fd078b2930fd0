import type { Redis } from 'ioredis';

import { MemoryRateLimiter } from './memory-rate-limiter';
import {
  decide,
  type LimitDecision,
  type LimitRule,
  type RateLimiter,
  WINDOW_MS,
  windowOf,
} from './rate-limiter';

/**
 * KEYS: per rule the current and the previous window's counter.
 * ARGV: mode (1 = check all then charge all, 0 = charge only), ttl ms, elapsed ms, window ms,
 *       then per rule: limit, cost.
 * Returns {blockedRule (1-based, 0 = none), cur1, prev1, cur2, prev2, ...} with counts before the
 * charge, as strings (Lua numbers would be truncated to integers on the way out).
 */
const SLIDING_WINDOW_SCRIPT = `
local n = #KEYS / 2
local mode = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local elapsed = tonumber(ARGV[3])
local window = tonumber(ARGV[4])
local weight = (window - elapsed) / window
local blocked = 0
local out = {}
for i = 1, n do
  local cur = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
  local prev = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
  out[2 * i - 1] = tostring(cur)
  out[2 * i] = tostring(prev)
  if mode == 1 and blocked == 0 then
    local limit = tonumber(ARGV[3 + 2 * i])
    local cost = tonumber(ARGV[4 + 2 * i])
    local used = prev * weight + cur
    if limit > 0 and ((cost > 0 and used + cost > limit) or (cost <= 0 and used >= limit)) then
      blocked = i
    end
  end
end
if blocked == 0 then
  for i = 1, n do
    local cost = tonumber(ARGV[4 + 2 * i])
    if cost > 0 then
      redis.call('INCRBY', KEYS[2 * i - 1], cost)
      redis.call('PEXPIRE', KEYS[2 * i - 1], ttl)
    end
  end
end
table.insert(out, 1, blocked)
return out
`;

type SlidingWindowCommand = (...args: (string | number)[]) => Promise<(string | number)[]>;

/**
 * Sliding-window limiter shared by every pod through Redis: one Lua script per request checks all
 * of its rules and charges them atomically, so N pods together admit exactly the configured rate.
 * If Redis is unreachable the pod falls back to its own counters (limits per pod) rather than
 * failing requests, and reports it through `onFallback`.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly fallback = new MemoryRateLimiter();
  private readonly command: SlidingWindowCommand;

  constructor(
    redis: Redis,
    private readonly prefix = 'prism:rl:',
    private readonly onFallback: (error: Error) => void = () => undefined,
  ) {
    if (!(redis as unknown as Record<string, unknown>).prismSlidingWindow) {
      redis.defineCommand('prismSlidingWindow', { lua: SLIDING_WINDOW_SCRIPT });
    }
    const command = (redis as unknown as { prismSlidingWindow: SlidingWindowCommand }).prismSlidingWindow;
    this.command = command.bind(redis);
  }

  async consume(rules: readonly LimitRule[], now: number = Date.now()): Promise<LimitDecision> {
    if (rules.length === 0) return decide(rules, [], windowOf(now).elapsedMs);
    const { index, elapsedMs } = windowOf(now);
    const args: (string | number)[] = [rules.length * 2];
    for (const rule of rules) args.push(this.keyFor(rule.key, index), this.keyFor(rule.key, index - 1));
    args.push(1, WINDOW_MS * 2, elapsedMs, WINDOW_MS);
    for (const rule of rules) args.push(rule.limit, Math.ceil(rule.cost));
    let reply: (string | number)[];
    try {
      reply = await this.command(...args);
    } catch (error) {
      this.onFallback(error as Error);
      return this.fallback.consumeSync(rules, now);
    }
    const counters = rules.map((_, i) => ({
      current: Number(reply[1 + 2 * i]),
      previous: Number(reply[2 + 2 * i]),
    }));
    const decision = decide(rules, counters, elapsedMs);
    const blockedByRedis = Number(reply[0]) - 1;
    if (blockedByRedis !== decision.blockedIndex) {
      // Redis is the authority; recompute the client view around its verdict (rounding edge cases).
      const forced = rules.map((rule, i) => (i === blockedByRedis ? { ...rule, cost: Infinity } : rule));
      return decide(
        blockedByRedis >= 0 ? forced : rules.map((r) => ({ ...r, limit: 0 })),
        counters,
        elapsedMs,
      );
    }
    return decision;
  }

  async add(charges: readonly { key: string; amount: number }[], now: number = Date.now()): Promise<void> {
    const positive = charges.filter((c) => c.amount > 0);
    if (positive.length === 0) return;
    const { index, elapsedMs } = windowOf(now);
    const args: (string | number)[] = [positive.length * 2];
    for (const charge of positive)
      args.push(this.keyFor(charge.key, index), this.keyFor(charge.key, index - 1));
    args.push(0, WINDOW_MS * 2, elapsedMs, WINDOW_MS);
    for (const charge of positive) args.push(0, Math.ceil(charge.amount));
    try {
      await this.command(...args);
    } catch (error) {
      this.onFallback(error as Error);
      this.fallback.addSync(positive, now);
    }
  }

  private keyFor(key: string, window: number): string {
    return `${this.prefix}${key}:${window}`;
  }
}
