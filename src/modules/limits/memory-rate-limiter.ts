import { decide, type LimitDecision, type LimitRule, type RateLimiter, windowOf } from './rate-limiter';

interface Counter {
  window: number;
  current: number;
  previous: number;
}

/** Counters older than two windows carry no information; they are swept this often. */
const SWEEP_EVERY_MS = 120_000;

/** Sliding-window limiter for one pod (used without REDIS_URL, and as Redis' fallback). */
export class MemoryRateLimiter implements RateLimiter {
  private readonly counters = new Map<string, Counter>();
  private lastSweep = 0;

  consume(rules: readonly LimitRule[], now: number = Date.now()): LimitDecision {
    return this.consumeSync(rules, now);
  }

  /** Synchronous form for the hot path (no promise when Redis is not involved). */
  consumeSync(rules: readonly LimitRule[], now: number = Date.now()): LimitDecision {
    const { index, elapsedMs } = windowOf(now);
    this.maybeSweep(now, index);
    const counters = rules.map((rule) => this.counter(rule.key, index));
    const decision = decide(rules, counters, elapsedMs);
    if (decision.allowed) {
      for (let i = 0; i < rules.length; i++) {
        const cost = (rules[i] as LimitRule).cost;
        if (cost > 0) (counters[i] as Counter).current += cost;
      }
    }
    return decision;
  }

  async add(charges: readonly { key: string; amount: number }[], now: number = Date.now()): Promise<void> {
    this.addSync(charges, now);
  }

  addSync(charges: readonly { key: string; amount: number }[], now: number = Date.now()): void {
    const { index } = windowOf(now);
    for (const charge of charges)
      if (charge.amount > 0) this.counter(charge.key, index).current += charge.amount;
  }

  /** Number of live counters (for tests and memory checks). */
  get size(): number {
    return this.counters.size;
  }

  private counter(key: string, window: number): Counter {
    let counter = this.counters.get(key);
    if (!counter) {
      counter = { window, current: 0, previous: 0 };
      this.counters.set(key, counter);
    } else if (counter.window !== window) {
      counter.previous = counter.window === window - 1 ? counter.current : 0;
      counter.current = 0;
      counter.window = window;
    }
    return counter;
  }

  private maybeSweep(now: number, window: number): void {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    for (const [key, counter] of this.counters) if (counter.window < window - 1) this.counters.delete(key);
  }
}
