import { ApiProperty } from '@nestjs/swagger';

export class ModelBreakerOnPodDto {
  podId!: string;
  @ApiProperty({ enum: ['closed', 'open', 'half_open'] })
  state!: 'closed' | 'open' | 'half_open';
  failures!: number;
}

export class ModelHealthDto {
  /** Provider slug. */
  provider!: string;
  model!: string;
  /** `down`: circuit open on every pod using it and no recent success; `degraded`: a circuit not closed somewhere or ≥ 20 % errors. */
  @ApiProperty({ enum: ['healthy', 'degraded', 'down'] })
  status!: 'healthy' | 'degraded' | 'down';
  /** Circuits not closed or counting failures, per live pod (other pods: closed). */
  @ApiProperty({ type: [ModelBreakerOnPodDto] })
  breakers!: ModelBreakerOnPodDto[];
  openOnPods!: number;
  /** Upstream calls in the window, all live pods together. */
  calls!: number;
  failures!: number;
  /** failures / calls (0 without calls). */
  errorRate!: number;
  @ApiProperty({ type: Number, nullable: true })
  avgLatencyMs!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastSuccessAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastFailureAt!: Date | null;
}

export class ProviderHealthResponseDto {
  @ApiProperty({ type: [ModelHealthDto] })
  items!: ModelHealthDto[];
  /** Statistics cover this many recent minutes. */
  windowMinutes!: number;
  /** Live pods whose heartbeats were read. */
  livePods!: number;
  generatedAt!: Date;
}
