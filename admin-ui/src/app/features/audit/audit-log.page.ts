import { DatePipe, JsonPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, type OnInit } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatExpansionModule } from '@angular/material/expansion';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';

import { type AuditEventResponseDto } from '../../api/models/audit-event-response-dto';
import { controlError } from '../../core/http/form-errors';
import { ListPage } from '../../core/ui/list-page';
import { PageHeader } from '../../core/ui/page-header';
import { type AuditFilter, AuditStore, EMPTY_AUDIT_FILTER } from './audit.store';

/** The action filter the server accepts: `user.update` or a prefix `user.*`. */
const ACTION_PATTERN = /^[A-Za-z0-9_.-]+(\.\*)?$/;

@Component({
  selector: 'app-audit-log-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    ListPage,
    JsonPipe,
    MatButtonModule,
    MatExpansionModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    PageHeader,
    ReactiveFormsModule,
  ],
  providers: [AuditStore],
  templateUrl: './audit-log.page.html',
  styleUrl: './audit-log.page.scss',
})
export class AuditLogPage implements OnInit {
  protected readonly store = inject(AuditStore);
  protected readonly controlError = controlError;
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly form = this.fb.group({
    actor: ['', [Validators.maxLength(128)]],
    action: ['', [Validators.maxLength(128), Validators.pattern(ACTION_PATTERN)]],
    outcome: this.fb.control<AuditFilter['outcome']>(''),
    from: [''],
    to: [''],
  });

  ngOnInit(): void {
    void this.store.load();
  }

  protected search(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    void this.store.applyFilter(this.form.getRawValue());
  }

  protected reset(): void {
    this.form.reset(EMPTY_AUDIT_FILTER);
    void this.store.applyFilter(EMPTY_AUDIT_FILTER);
  }

  protected changedFields(event: AuditEventResponseDto): string[] {
    return event.changes ? Object.keys(event.changes) : [];
  }

  protected target(event: AuditEventResponseDto): string {
    return event.targetLabel ?? event.targetId ?? '';
  }
}
