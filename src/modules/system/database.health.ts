import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Connection } from 'mongoose';

/**
 * Sends a real `ping` to MongoDB. Terminus' Mongoose indicator only reads the driver's cached
 * connection state, which stays "connected" for seconds after the server has gone away.
 */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async ping(key: string, timeoutMs: number): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(key);
    const db = this.connection.db;
    if (!db) return check.down({ message: 'not connected' });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        db.command({ ping: 1 }, { timeoutMS: timeoutMs }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return check.up();
    } catch (error) {
      return check.down({ message: error instanceof Error ? error.message : 'ping failed' });
    } finally {
      clearTimeout(timer);
    }
  }
}
