import { ApiProperty } from '@nestjs/swagger';

import { NODE_ROLES, type NodeRole } from '../../../../core/config';

export class PodBreakerDto {
  provider!: string;
  model!: string;
  @ApiProperty({ enum: ['closed', 'open', 'half_open'] })
  state!: 'closed' | 'open' | 'half_open';
  /** Consecutive failures counted by this pod. */
  failures!: number;
}

export class PodTrafficMinuteDto {
  /** Start of the minute. */
  minute!: Date;
  requests!: number;
  errors!: number;
}

export class PodResponseDto {
  id!: string;
  @ApiProperty({ enum: NODE_ROLES })
  role!: NodeRole;
  version!: string;
  host!: string;
  pid!: number;
  /** `stale`: no heartbeat for `staleAfterMs`; `stopped`: shut down gracefully. */
  @ApiProperty({ enum: ['live', 'stale', 'stopped'] })
  status!: 'live' | 'stale' | 'stopped';
  /** The pod that answered this request. */
  self!: boolean;
  startedAt!: Date;
  lastSeenAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  stoppedAt!: Date | null;
  rssBytes!: number;
  heapUsedBytes!: number;
  heapTotalBytes!: number;
  /** CPU time over wall time since the previous heartbeat (100 = one core). */
  cpuPercent!: number;
  eventLoopLagMs!: number;
  eventLoopLagP99Ms!: number;
  /** Gateway requests in the last 60 s. */
  requestsPerMinute!: number;
  errorsPerMinute!: number;
  inFlight!: number;
  analyticsQueueDepth!: number;
  analyticsDropped!: number;
  /** Circuits this pod holds that are not closed, or have counted failures. */
  @ApiProperty({ type: [PodBreakerDto] })
  breakers!: PodBreakerDto[];
  /** Scheduled jobs whose lease this pod holds. */
  heldJobs!: string[];
  /** Gateway requests per minute over the last 60 minutes (minutes without traffic omitted). */
  @ApiProperty({ type: [PodTrafficMinuteDto] })
  traffic!: PodTrafficMinuteDto[];
  /** Requests in the last 60 minutes. */
  requestsLastHour!: number;
  errorsLastHour!: number;
}

export class PodListResponseDto {
  @ApiProperty({ type: [PodResponseDto] })
  items!: PodResponseDto[];
  /** A pod without a heartbeat for this long is stale. */
  staleAfterMs!: number;
  heartbeatIntervalMs!: number;
}
