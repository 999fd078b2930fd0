import { inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { routingReplayRun } from '../../api/fn/routing/routing-replay-run';
import { type RoutingReplayDto } from '../../api/models/routing-replay-dto';
import { type RoutingReplayResponseDto } from '../../api/models/routing-replay-response-dto';
import { AsyncTask } from '../../core/state/async-task';

/** Replays logged auto-routed requests through a proposed rule set (nothing is saved). */
@Injectable()
export class RoutingReplayStore {
  private readonly api = inject(Api);

  readonly replay$ = new AsyncTask();
  readonly result = signal<RoutingReplayResponseDto | null>(null);

  async replay(body: RoutingReplayDto): Promise<void> {
    const result = await this.replay$.run(() => this.api.invoke(routingReplayRun, { body }));
    this.result.set(result.ok ? result.value : null);
  }
}
