import { inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { ruleSetsDeleteForTenant } from '../../api/fn/routing/rule-sets-delete-for-tenant';
import { ruleSetsGetDefault } from '../../api/fn/routing/rule-sets-get-default';
import { ruleSetsGetForTenant } from '../../api/fn/routing/rule-sets-get-for-tenant';
import { ruleSetsPutDefault } from '../../api/fn/routing/rule-sets-put-default';
import { ruleSetsPutForTenant } from '../../api/fn/routing/rule-sets-put-for-tenant';
import { type RuleSetDto } from '../../api/models/rule-set-dto';
import { type RuleSetResponseDto } from '../../api/models/rule-set-response-dto';
import { AsyncTask, type TaskResult } from '../../core/state/async-task';

/** `''` is the global default; anything else a tenant id or slug. */
export type RuleSetScope = string;

/** Routing rule sets: the global default and per-tenant overrides (PUT replaces a set whole). */
@Injectable()
export class RuleSetsStore {
  private readonly api = inject(Api);

  readonly load$ = new AsyncTask();
  readonly save$ = new AsyncTask();
  readonly scope = signal<RuleSetScope>('');
  readonly ruleSet = signal<RuleSetResponseDto | null>(null);

  /** True when a tenant is selected but it has no override (the server sent the default). */
  inherits(): boolean {
    return this.scope() !== '' && this.ruleSet()?.scope === 'default';
  }

  async load(scope: RuleSetScope): Promise<void> {
    this.scope.set(scope);
    this.ruleSet.set(null);
    const result = await this.load$.run(() =>
      scope ? this.api.invoke(ruleSetsGetForTenant, { tenant: scope }) : this.api.invoke(ruleSetsGetDefault),
    );
    // Ignore an answer for a scope the user has already left.
    if (result.ok && this.scope() === scope) this.ruleSet.set(result.value);
  }

  async save(body: RuleSetDto): Promise<TaskResult<RuleSetResponseDto>> {
    const scope = this.scope();
    const result = await this.save$.run(() =>
      scope
        ? this.api.invoke(ruleSetsPutForTenant, { tenant: scope, body })
        : this.api.invoke(ruleSetsPutDefault, { body }),
    );
    if (result.ok) this.ruleSet.set(result.value);
    return result;
  }

  /** Drops the tenant's override; it inherits the default again. */
  async removeOverride(): Promise<TaskResult<unknown>> {
    const scope = this.scope();
    const result = await this.save$.run(() => this.api.invoke(ruleSetsDeleteForTenant, { tenant: scope }));
    if (result.ok) await this.load(scope);
    return result;
  }
}
