import { inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { routingDryRunTest } from '../../api/fn/routing/routing-dry-run-test';
import { type RoutingDryRunDto } from '../../api/models/routing-dry-run-dto';
import { type RoutingDryRunResponseDto } from '../../api/models/routing-dry-run-response-dto';
import { AsyncTask, type TaskResult } from '../../core/state/async-task';

export interface DryRunInput {
  tenant: string;
  prompt: string;
  systemPrompt: string;
  useLlmClassifier: boolean;
}

/** The request body: blank optional fields are left out, the prompt is sent as typed. */
export function toDryRunDto(input: DryRunInput): RoutingDryRunDto {
  return {
    tenant: input.tenant.trim(),
    prompt: input.prompt,
    ...(input.systemPrompt.trim() ? { systemPrompt: input.systemPrompt } : {}),
    useLlmClassifier: input.useLlmClassifier,
  };
}

/** Routing dry run: what the gateway would decide for a prompt, step by step. Changes nothing. */
@Injectable()
export class RoutingTesterStore {
  private readonly api = inject(Api);

  readonly run$ = new AsyncTask();
  readonly result = signal<RoutingDryRunResponseDto | null>(null);

  async run(input: DryRunInput): Promise<TaskResult<RoutingDryRunResponseDto>> {
    const result = await this.run$.run(() =>
      this.api.invoke(routingDryRunTest, { body: toDryRunDto(input) }),
    );
    this.result.set(result.ok ? result.value : null);
    return result;
  }
}
