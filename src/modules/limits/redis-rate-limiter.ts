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
 * KEYS: per rule the counter's name without the window number (the script appends `:<window>`).
 * ARGV: mode (1 = check all then charge all, 0 = charge only), ttl ms, now (epoch ms, or -1 = Redis'
 *       own clock), window ms, then per rule: limit, cost.
 * Returns {blockedRule (1-based, 0 = none), elapsed ms, cur1, prev1, cur2, prev2, ...} with counts
 * before the charge, as strings (Lua numbers would be truncated to integers on the way out).
 *
 * The window is taken from Redis' clock, inside the script: if each pod stamped its request with
 * its own clock, a request stamped in minute N+1 could reach Redis before one stamped in minute N,
 * read minute N without that one's charge, and both would be admitted past the limit. With one
 * clock and one script at a time, windows only move forward. `TIME` before a write needs effects
 * replication: the default from Redis 5, switched on explicitly for older servers.
 */
const SLIDING_WINDOW_SCRIPT = `
local n = #KEYS
local mode = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local window = tonumber(ARGV[4])
if now < 0 then
  if redis.replicate_commands then redis.replicate_commands() end
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local index = math.floor(now / window)
local elapsed = now - index * window
local weight = (window - elapsed) / window
local curSuffix = ':' .. string.format('%d', index)
local prevSuffix = ':' .. string.format('%d', index - 1)
local blocked = 0
local out = {}
for i = 1, n do
  local cur = tonumber(redis.call('GET', KEYS[i] .. curSuffix) or '0')
  local prev = tonumber(redis.call('GET', KEYS[i] .. prevSuffix) or '0')
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
      redis.call('INCRBY', KEYS[i] .. curSuffix, cost)
      redis.call('PEXPIRE', KEYS[i] .. curSuffix, ttl)
    end
  end
end
table.insert(out, 1, tostring(elapsed))
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

  /**
   * `now` is for deterministic tests only: without it the window comes from Redis' clock (see the
   * script), and this pod's clock is used only when Redis is unreachable.
   */
  async consume(rules: readonly LimitRule[], now?: number): Promise<LimitDecision> {
    if (rules.length === 0) return decide(rules, [], windowOf(now ?? Date.now()).elapsedMs);
    const args: (string | number)[] = [rules.length];
    for (const rule of rules) args.push(this.keyFor(rule.key));
    args.push(1, WINDOW_MS * 2, now ?? -1, WINDOW_MS);
    for (const rule of rules) args.push(rule.limit, Math.ceil(rule.cost));
    let reply: (string | number)[];
    try {
      reply = await this.command(...args);
    } catch (error) {
      this.onFallback(error as Error);
      return this.fallback.consumeSync(rules, now ?? Date.now());
    }
    const elapsedMs = Number(reply[1]);
    const counters = rules.map((_, i) => ({
      current: Number(reply[2 + 2 * i]),
      previous: Number(reply[3 + 2 * i]),
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

  /** Charges into the minute Redis' clock is in (or `now`'s, for tests), like `consume`. */
  async add(charges: readonly { key: string; amount: number }[], now?: number): Promise<void> {
    const positive = charges.filter((c) => c.amount > 0);
    if (positive.length === 0) return;
    const args: (string | number)[] = [positive.length];
    for (const charge of positive) args.push(this.keyFor(charge.key));
    args.push(0, WINDOW_MS * 2, now ?? -1, WINDOW_MS);
    for (const charge of positive) args.push(0, Math.ceil(charge.amount));
    try {
      await this.command(...args);
    } catch (error) {
      this.onFallback(error as Error);
      this.fallback.addSync(positive, now ?? Date.now());
    }
  }

  /**
   * The counter's name without its window. Redis Cluster hashes only the `{…}` part of a name: a
   * rule key that carries its own group (`{t:<tenant>}:…`) keeps every counter of that group in one
   * slot, so one script can check them together; a key without one is its own group.
   */
  private keyFor(key: string): string {
    return key.includes('{') ? this.prefix + key : `${this.prefix}{${key}}`;
  }
}
