import { inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { ldapSettingsGet } from '../../api/fn/settings/ldap-settings-get';
import { ldapSettingsTest } from '../../api/fn/settings/ldap-settings-test';
import { ldapSettingsUpdate } from '../../api/fn/settings/ldap-settings-update';
import { type LdapSettingsResponseDto } from '../../api/models/ldap-settings-response-dto';
import { type LdapTestReportDto } from '../../api/models/ldap-test-report-dto';
import { type TestLdapSettingsDto } from '../../api/models/test-ldap-settings-dto';
import { type UpdateLdapSettingsDto } from '../../api/models/update-ldap-settings-dto';
import { AsyncTask, type TaskResult } from '../../core/state/async-task';

/** LDAP sign-in settings (admin only) and the step-by-step connection test. */
@Injectable()
export class LdapSettingsStore {
  private readonly api = inject(Api);

  readonly load$ = new AsyncTask();
  readonly save$ = new AsyncTask();
  readonly test$ = new AsyncTask();
  readonly settings = signal<LdapSettingsResponseDto | null>(null);
  readonly report = signal<LdapTestReportDto | null>(null);

  async load(): Promise<void> {
    const result = await this.load$.run(() => this.api.invoke(ldapSettingsGet));
    if (result.ok) this.settings.set(result.value);
  }

  async save(body: UpdateLdapSettingsDto): Promise<TaskResult<LdapSettingsResponseDto>> {
    const result = await this.save$.run(() => this.api.invoke(ldapSettingsUpdate, { body }));
    if (result.ok) this.settings.set(result.value);
    return result;
  }

  /** Tests the form's (unsaved) settings, optionally with a user's sign-in. */
  async test(body: TestLdapSettingsDto): Promise<void> {
    this.report.set(null);
    const result = await this.test$.run(() => this.api.invoke(ldapSettingsTest, { body }));
    if (result.ok) this.report.set(result.value);
  }
}
