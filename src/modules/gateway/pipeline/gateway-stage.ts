import type { Histogram } from 'prom-client';

import type { GatewayContext, GatewayEndpoint } from './gateway-context';

/** One step of DESIGN.md §3: reads and extends the context, or throws a GatewayHttpError. */
export interface GatewayStage {
  readonly name: string;
  /** Endpoints the stage applies to; all when absent. */
  readonly endpoints?: readonly GatewayEndpoint[];
  run(ctx: GatewayContext): void | Promise<void>;
}

/**
 * Runs the stages in order, timing each one. Synchronous stages cost no promise: only a stage that
 * really returns one (a Redis limit check, a first budget load) is awaited.
 */
export class StageRunner {
  constructor(
    readonly stages: readonly GatewayStage[],
    private readonly histogram?: Histogram<'stage'>,
  ) {}

  async run(ctx: GatewayContext): Promise<void> {
    for (const stage of this.stages) {
      if (stage.endpoints && !stage.endpoints.includes(ctx.endpoint)) continue;
      const started = performance.now();
      const pending = stage.run(ctx);
      if (pending) await pending;
      const ms = performance.now() - started;
      ctx.stageMs[stage.name] = ms;
      this.histogram?.observe({ stage: stage.name }, ms / 1000);
    }
  }
}
