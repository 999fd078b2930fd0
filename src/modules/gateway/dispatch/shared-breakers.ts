import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

import type { BreakerEvents, BreakerSettings, CircuitBreakers } from './circuit-breaker';

/**
 * KEYS: failure counter of the circuit, hash of open circuits, probe lease counter. ARGV: circuit
 * key, opened-at (ms), window ms, threshold, force (1 = this pod opened it), channel, message to
 * publish when it opens. Counts the failure cluster-wide; at the threshold (or when forced) records
 * the opening, frees the probe slots for the next half-open round and announces it. Returns the
 * count, or -1 when the circuit opened.
 */
const FAILURE_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
if ARGV[5] == '1' or n >= tonumber(ARGV[4]) then
  redis.call('DEL', KEYS[1], KEYS[3])
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[2], 86400000)
  redis.call('PUBLISH', ARGV[6], ARGV[7])
  return -1
end
return n
`;

/**
 * KEYS: failure counter, hash of open circuits, probe lease counter. ARGV: circuit key, closed
 * (1/0), channel, message. A success resets the count; a successful probe also closes the circuit
 * for every pod.
 */
const RECOVERY_SCRIPT = `
redis.call('DEL', KEYS[1])
if ARGV[2] == '1' then
  redis.call('DEL', KEYS[3])
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('PUBLISH', ARGV[3], ARGV[4])
end
return 0
`;

/**
 * KEYS: probe lease counter. ARGV: lease ms. Takes one of the half-open round's probe slots and
 * returns how many are taken (the caller compares with `halfOpenProbes`). The counter is deleted
 * when the probe's verdict opens or closes the circuit; the expiry only frees the slots of a pod
 * that died (or a client that left) in the middle of a probe.
 */
const PROBE_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`;

/** How long boot waits for the subscription before serving without it. */
const SUBSCRIBE_WAIT_MS = 3_000;

type ScriptCommand = (...args: (string | number)[]) => Promise<unknown>;

interface BreakerMessage {
  /** open | close */
  e: 'open' | 'close';
  /** Circuit key (`providerId/modelId`). */
  k: string;
  /** Opened at (epoch ms), for `open`. */
  t?: number;
  /** Sending process, so a pod ignores its own announcements. */
  p: string;
}

/**
 * Shares circuit breaker state through Redis (issue 15 item 7, ADR 0004): failures are counted
 * per circuit across pods, an opening or closing is announced on a pub/sub channel and applied to
 * every pod's in-memory breakers, and the open circuits are kept in a hash that a starting (or
 * reconnecting) pod reads. Decisions stay local and synchronous: Redis is only written on a
 * failure or the first success after failures, never on a healthy request. Without Redis, or while
 * it is unreachable, each pod keeps deciding on its own (the scripts just fail and are counted).
 */
export class SharedBreakers implements BreakerEvents {
  private readonly id = randomUUID();
  private readonly failureCommand: ScriptCommand;
  private readonly recoveryCommand: ScriptCommand;
  private readonly probeCommand: ScriptCommand;
  private subscriber: Redis | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly breakers: CircuitBreakers,
    private readonly settings: () => BreakerSettings,
    private readonly onError: (error: Error) => void = () => undefined,
    private readonly prefix = 'prism:{cb}:',
  ) {
    const commands = redis as unknown as Record<string, ScriptCommand | undefined>;
    if (!commands.prismBreakerFailure) {
      redis.defineCommand('prismBreakerFailure', { numberOfKeys: 3, lua: FAILURE_SCRIPT });
      redis.defineCommand('prismBreakerRecovery', { numberOfKeys: 3, lua: RECOVERY_SCRIPT });
      redis.defineCommand('prismBreakerProbe', { numberOfKeys: 1, lua: PROBE_SCRIPT });
    }
    const defined = redis as unknown as Record<
      'prismBreakerFailure' | 'prismBreakerRecovery' | 'prismBreakerProbe',
      ScriptCommand
    >;
    this.failureCommand = defined.prismBreakerFailure.bind(redis);
    this.recoveryCommand = defined.prismBreakerRecovery.bind(redis);
    this.probeCommand = defined.prismBreakerProbe.bind(redis);
  }

  private get channel(): string {
    return `${this.prefix}events`;
  }

  private get openHash(): string {
    return `${this.prefix}open`;
  }

  /** Subscribes to the other pods' announcements and loads the circuits open right now. */
  async start(): Promise<void> {
    this.breakers.events = this;
    const subscriber = this.redis.duplicate({ enableOfflineQueue: true, commandTimeout: undefined });
    this.subscriber = subscriber;
    subscriber.on('error', () => undefined);
    subscriber.on('message', (_channel: string, text: string) => this.receive(text));
    // After a reconnect the announcements made meanwhile are lost: catch up from the hash.
    let connections = 0;
    subscriber.on('ready', () => {
      if (++connections > 1) void this.loadOpen();
    });
    const subscribed = subscriber.subscribe(this.channel).then(
      () => true,
      (error: Error) => {
        this.onError(error);
        return false;
      },
    );
    // Boot does not wait long for an unreachable Redis: the pod decides alone until it is back.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>(
      (resolve) => (timer = setTimeout(() => resolve(false), SUBSCRIBE_WAIT_MS)),
    );
    await Promise.race([subscribed, timeout]);
    clearTimeout(timer);
    await this.loadOpen();
  }

  async stop(): Promise<void> {
    if (this.breakers.events === this) this.breakers.events = undefined;
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }

  failed(key: string, opened: boolean, at: number): void {
    const settings = this.settings();
    const message = JSON.stringify({ e: 'open', k: key, t: at, p: this.id } satisfies BreakerMessage);
    this.failureCommand(
      this.failuresKey(key),
      this.openHash,
      this.probeKey(key),
      key,
      at,
      settings.windowMs,
      settings.failureThreshold,
      opened ? 1 : 0,
      this.channel,
      message,
    ).then(
      (count) => {
        // The cluster-wide count reached the threshold before this pod's own count did.
        if (count === -1 && !opened) this.breakers.openFromPeer(key, Date.now());
      },
      (error: Error) => this.onError(error),
    );
  }

  recovered(key: string, closed: boolean): void {
    const message = JSON.stringify({ e: 'close', k: key, p: this.id } satisfies BreakerMessage);
    this.recoveryCommand(
      this.failuresKey(key),
      this.openHash,
      this.probeKey(key),
      key,
      closed ? 1 : 0,
      this.channel,
      message,
    ).catch((error: Error) => this.onError(error));
  }

  async claimProbe(key: string): Promise<boolean> {
    const settings = this.settings();
    const taken = await this.probeCommand(this.probeKey(key), settings.cooldownMs);
    return Number(taken) <= settings.halfOpenProbes;
  }

  /** Applies the circuits other pods opened and that are still cooling down. */
  async loadOpen(): Promise<void> {
    let open: Record<string, string>;
    try {
      open = await this.redis.hgetall(this.openHash);
    } catch (error) {
      this.onError(error as Error);
      return;
    }
    const now = Date.now();
    const cooldown = this.settings().cooldownMs;
    for (const [key, at] of Object.entries(open)) {
      const openedAt = Number(at);
      if (Number.isFinite(openedAt) && now - openedAt < cooldown)
        this.breakers.openFromPeer(key, openedAt, now);
    }
  }

  private receive(text: string): void {
    let message: BreakerMessage;
    try {
      message = JSON.parse(text) as BreakerMessage;
    } catch {
      return;
    }
    if (message.p === this.id || typeof message.k !== 'string') return;
    // Opened "now" as this pod hears it: a pod's clock running behind must not shorten the cooldown.
    if (message.e === 'open') this.breakers.openFromPeer(message.k, Date.now());
    else if (message.e === 'close') this.breakers.closeFromPeer(message.k);
  }

  private failuresKey(key: string): string {
    return `${this.prefix}f:${key}`;
  }

  private probeKey(key: string): string {
    return `${this.prefix}p:${key}`;
  }
}
