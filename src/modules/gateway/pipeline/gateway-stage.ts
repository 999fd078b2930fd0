import type { HistogramChild } from '../../system/fast-histogram';
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
  /** Histogram children bound to each stage's label once (no label hashing per request). */
  private readonly timers: (HistogramChild | undefined)[];

  constructor(
    readonly stages: readonly GatewayStage[],
    histogram?: { labels(labels: { stage: string }): HistogramChild },
  ) {
    this.timers = stages.map((stage) => histogram?.labels({ stage: stage.name }));
  }

  async run(ctx: GatewayContext): Promise<void> {
    const stages = this.stages;
    for (let i = 0; i < stages.length; i++) {
      const stage = stages[i] as GatewayStage;
      if (stage.endpoints && !stage.endpoints.includes(ctx.endpoint)) continue;
      const started = performance.now();
      const pending = stage.run(ctx);
      if (pending) await pending;
      const ms = performance.now() - started;
      ctx.trace.stage(stage.name, started, ms);
      this.timers[i]?.observe(ms / 1000);
    }
  }
}
