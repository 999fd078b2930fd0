import { Directive, effect, inject, input, type OnInit, signal, untracked } from '@angular/core';
import { type FormGroup } from '@angular/forms';
import { MatSnackBar } from '@angular/material/snack-bar';

import { type TenantResponseDto } from '../../api/models/tenant-response-dto';
import { type UpdateTenantDto } from '../../api/models/update-tenant-dto';
import { AuthStore } from '../../core/auth/auth.store';
import { applyServerErrors } from '../../core/http/form-errors';
import { TenantEditorStore } from './tenant-editor.store';

/**
 * Shared behaviour of the tenant editor tabs: fill the form from the tenant, save a partial update,
 * put server errors next to the fields, and make the form read-only without `tenants.write`.
 */
@Directive()
export abstract class TenantTabBase<F extends FormGroup> implements OnInit {
  readonly tenant = input.required<TenantResponseDto>();
  protected readonly store = inject(TenantEditorStore);
  protected readonly auth = inject(AuthStore);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly unmatched = signal<string[]>([]);
  protected abstract readonly form: F;
  /** The tenant value the form shows (the same object: `ngOnInit` and the effect fill once). */
  private filledWith: TenantResponseDto | undefined;

  constructor() {
    effect(() => {
      const tenant = this.tenant();
      untracked(() => {
        if (tenant === this.filledWith) return;
        // A refresh of the same tenant (a key disabled, another tab saved) must not throw away
        // edits the user has not saved yet; a different tenant always refills the form.
        if (tenant.id !== this.filledWith?.id || !this.form.dirty) this.apply(tenant);
      });
    });
  }

  /** Fills the form before its first render, so a user never types into the empty defaults. */
  ngOnInit(): void {
    this.apply(this.tenant());
  }

  private apply(tenant: TenantResponseDto): void {
    this.filledWith = tenant;
    this.fill(tenant);
    this.form.markAsPristine();
    if (!this.auth.can('tenants.write')) this.form.disable({ emitEvent: false });
  }

  protected abstract fill(tenant: TenantResponseDto): void;
  protected abstract toUpdate(): UpdateTenantDto;

  protected async save(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.store.save$.busy()) return;
    const result = await this.store.update(this.toUpdate());
    if (result.ok) {
      // Saved: the server's answer (also the store's new tenant value) fills the form again.
      this.apply(result.value);
      this.unmatched.set([]);
      this.snackBar.open('Saved.', 'OK', { duration: 3000 });
    } else {
      this.unmatched.set(applyServerErrors(this.form, result.problem));
    }
  }
}
