import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { TIERS } from '../../../common/tiers';

/**
 * The API views of a routing decision: the live one (dry run), the stored trace and a suite case
 * result. Each view extends the part it shares, so a field is described once.
 */

export class RoutingStepDto {
  @ApiProperty({
    enum: [
      'signals',
      'strictness_gate',
      'fim_fast_path',
      'rules',
      'local_classifier',
      'tier_model',
      'combine',
      'llm_classifier',
      'overrides',
      'session_fill',
      'cost_mode',
      'strictness',
      'selection',
    ],
  })
  name!: string;
  /** What the step looked at (prompt-free summary). */
  @ApiProperty({ type: 'object', additionalProperties: true })
  input!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true })
  output!: Record<string, unknown>;
  confidence?: number;
  skipped?: boolean;
  durationUs!: number;
}

export class RoutingOverrideDto {
  code!: string;
  @ApiProperty({ enum: TIERS })
  from!: string;
  @ApiProperty({ enum: TIERS })
  to!: string;
  detail?: string;
}

export class RoutingSelectedModelDto {
  id!: string;
  @ApiProperty({ type: String, nullable: true })
  providerId!: string | null;
  providerSlug?: string;
  @ApiPropertyOptional({ enum: TIERS })
  tier?: string;
}

export class RoutingClassifierUsageDto {
  @ApiProperty({ type: String, nullable: true })
  model!: string | null;
  attempts!: number;
  inputTokens!: number;
  outputTokens!: number;
  costUsd!: number;
}

/** Where a request went and who decided it, in every view of a decision. */
export class RoutingVerdictDto {
  @ApiProperty({ type: String, nullable: true })
  category!: string | null;
  @ApiProperty({ enum: TIERS })
  tier!: string;
  confidence!: number;
  source!: string;
}

/** A decision as stored records keep it (trace, suite case result): model and provider by id. */
export class RoutingDecisionSummaryDto extends RoutingVerdictDto {
  @ApiProperty({ type: String, nullable: true })
  model!: string | null;
  @ApiProperty({ type: String, nullable: true })
  providerId!: string | null;
}

/** How a decision was reached: shared by the live decision and the stored trace. */
export class RoutingOutcomeDto extends RoutingVerdictDto {
  /** False when the user's model was kept (strictness). */
  routed!: boolean;
  selectionMethod!: string;
  @ApiProperty({ type: String, nullable: true })
  domain!: string | null;
  reason!: string;
  overrides!: RoutingOverrideDto[];
  routingMs!: number;
  /** Every step in order with its input, output, confidence and time. */
  steps!: RoutingStepDto[];
}

/** The live decision (dry run): the full model and the category prompt the gateway would inject. */
export class RoutingDecisionDto extends RoutingOutcomeDto {
  @ApiProperty({ type: String, nullable: true })
  categoryName!: string | null;
  @ApiProperty({ type: RoutingSelectedModelDto, nullable: true })
  model!: RoutingSelectedModelDto | null;
  /** The category system prompt the gateway would inject. */
  @ApiProperty({ type: String, nullable: true })
  systemPrompt!: string | null;
  /** Facts about the request (token estimate, images, tools, domains, ...). */
  @ApiProperty({ type: 'object', additionalProperties: true })
  signals!: Record<string, unknown>;
  classifier!: RoutingClassifierUsageDto;
}
