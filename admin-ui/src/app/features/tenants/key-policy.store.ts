import { inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { keyPolicyGet } from '../../api/fn/tenant-keys/key-policy-get';
import { keyPolicySet } from '../../api/fn/tenant-keys/key-policy-set';
import { type KeyPolicyDto } from '../../api/models/key-policy-dto';
import { AsyncTask, type TaskResult } from '../../core/state/async-task';

/** The global key policy (one setting: the longest lifetime any key may have). */
@Injectable()
export class KeyPolicyStore {
  private readonly api = inject(Api);

  readonly load$ = new AsyncTask();
  readonly save$ = new AsyncTask();
  readonly policy = signal<KeyPolicyDto | null>(null);

  async load(): Promise<void> {
    const result = await this.load$.run(() => this.api.invoke(keyPolicyGet));
    if (result.ok) this.policy.set(result.value);
  }

  async save(body: KeyPolicyDto): Promise<TaskResult<KeyPolicyDto>> {
    const result = await this.save$.run(() => this.api.invoke(keyPolicySet, { body }));
    if (result.ok) this.policy.set(result.value);
    return result;
  }
}
