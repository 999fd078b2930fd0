import {
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import { Redis } from 'ioredis';

import { AppConfig } from '../../core/config/app-config';
import { getOrCreateCounter } from '../system/metrics.registry';
import { MemoryRateLimiter } from './memory-rate-limiter';
import { RATE_LIMITER, type RateLimiter } from './rate-limiter';
import { RedisRateLimiter } from './redis-rate-limiter';

/** The Redis connection for shared counters; absent without REDIS_URL. */
export const LIMITS_REDIS = Symbol('LIMITS_REDIS');

/** How long boot waits for Redis before serving with per-pod counting. */
const REDIS_READY_TIMEOUT_MS = 5_000;

@Injectable()
class RedisLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');

  constructor(@Optional() @Inject(LIMITS_REDIS) private readonly redis?: Redis | null) {}

  /** Waits for the connection, so the first requests after boot are already counted across pods. */
  async onModuleInit(): Promise<void> {
    const redis = this.redis;
    if (!redis || redis.status === 'ready') return;
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), REDIS_READY_TIMEOUT_MS);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!ready) this.logger.warn('Redis is not reachable yet: limits count per pod until it is');
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.redis) return;
    await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}

/**
 * Rate limiting for the gateway: per-pod counters, or counters shared by every pod in Redis when
 * REDIS_URL is set (falling back to per-pod counting while Redis is unreachable).
 */
@Module({
  providers: [
    {
      provide: LIMITS_REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig): Redis | null => {
        if (!config.redisUrl) return null;
        const logger = new Logger('Redis');
        const redis = new Redis(config.redisUrl, {
          // Limit checks are on the request path: fail fast and count locally rather than queue.
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          commandTimeout: config.redisCommandTimeoutMs,
          lazyConnect: false,
        });
        let reported = false;
        redis.on('error', (error: Error) => {
          if (!reported)
            logger.warn(`Redis unavailable, limits count per pod until it is back: ${error.message}`);
          reported = true;
        });
        redis.on('ready', () => {
          if (reported) logger.log('Redis is back; limits are shared across pods again');
          reported = false;
        });
        return redis;
      },
    },
    {
      provide: RATE_LIMITER,
      inject: [LIMITS_REDIS],
      useFactory: (redis: Redis | null): RateLimiter => {
        if (!redis) return new MemoryRateLimiter();
        const fallbacks = getOrCreateCounter(
          'prism_limits_redis_fallback_total',
          'Limit checks counted per pod because Redis did not answer',
          [],
        );
        return new RedisRateLimiter(redis, 'prism:rl:', () => fallbacks.inc());
      },
    },
    RedisLifecycle,
  ],
  exports: [RATE_LIMITER, LIMITS_REDIS],
})
export class LimitsModule {}
