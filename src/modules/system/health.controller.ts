import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';

import { AppConfig } from '../../core/config/app-config';
import { DatabaseHealthIndicator } from './database.health';

/** Kubernetes probes: `/health` says the process is alive, `/health/ready` that MongoDB answers. */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  private readonly startedAt = Date.now();

  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly config: AppConfig,
  ) {}

  @Get()
  live(): { status: 'ok'; role: string; uptimeSeconds: number } {
    return {
      status: 'ok',
      role: this.config.role,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
    };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.database.ping('database', 1500)]);
  }
}
