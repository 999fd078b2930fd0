import { CurrencyPipe, DatePipe, DecimalPipe, JsonPipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  untracked,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatDialog, MatDialogConfig } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { ActivatedRoute, Router } from '@angular/router';
import { toSignal } from '@angular/core/rxjs-interop';

import { AuthStore } from '../../core/auth/auth.store';
import { EmptyState } from '../../core/ui/empty-state';
import { ErrorBanner } from '../../core/ui/error-banner';
import { PageHeader } from '../../core/ui/page-header';
import { RoutingDecision } from '../../shared/routing-decision/routing-decision';
import { RoutingSteps } from '../../shared/routing-decision/routing-steps';
import { type CategoryResponseDto } from '../../api/models/category-response-dto';
import {
  type DecisionCorrectionData,
  DecisionCorrectionDialog,
  EXAMPLE_MAX_LENGTH,
} from '../routing/decision-correction-dialog';
import { traceDecisionView } from '../routing/routing-trace.store';
import { promptExcerpt } from './prompt-excerpt';
import {
  cleanFilters,
  fromLocalInput,
  REQUEST_FILTER_FIELDS,
  REQUEST_FILTERS,
  type RequestFilterKey,
  type RequestFilters,
  toLocalInput,
} from './request-filters';
import { type RequestLogView, RequestsStore } from './requests.store';

const EMPTY_FORM = Object.fromEntries(REQUEST_FILTERS.map((key) => [key, ''])) as Record<
  RequestFilterKey,
  string
>;

/**
 * Every request the gateway served: filters kept in the address, newest first or grouped by
 * session (`?view=sessions`), one request in detail with "correct this decision".
 */
@Component({
  selector: 'app-request-log-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    CurrencyPipe,
    DatePipe,
    DecimalPipe,
    EmptyState,
    ErrorBanner,
    JsonPipe,
    MatButtonModule,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    PageHeader,
    ReactiveFormsModule,
    RoutingDecision,
    RoutingSteps,
  ],
  providers: [RequestsStore],
  templateUrl: './request-log.page.html',
  styleUrl: './request-log.page.scss',
})
export class RequestLogPage {
  /** `?request=<id>` opens that request's detail. */
  readonly request = input<string>();

  protected readonly store = inject(RequestsStore);
  protected readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly query = toSignal(inject(ActivatedRoute).queryParamMap);
  protected readonly form = inject(NonNullableFormBuilder).group(EMPTY_FORM);
  protected readonly filterFields = REQUEST_FILTER_FIELDS;
  protected readonly decision = computed(() => {
    const trace = this.store.detail()?.routing.trace;
    return trace ? traceDecisionView(trace) : null;
  });

  constructor() {
    // The address is the source of truth: a shared link shows the same view.
    effect(() => {
      const params = this.query();
      if (!params) return;
      const filters = cleanFilters(Object.fromEntries(params.keys.map((k) => [k, params.get(k)])));
      const view: RequestLogView = params.get('view') === 'sessions' ? 'sessions' : 'requests';
      untracked(() => {
        this.form.reset({
          ...EMPTY_FORM,
          ...filters,
          from: toLocalInput(filters.from),
          to: toLocalInput(filters.to),
        });
        void this.store.apply(filters, view);
      });
    });
    effect(() => {
      const id = this.request();
      untracked(() => {
        if (id) void this.store.open(id, this.auth.can('prompts.read'));
        else this.store.close();
      });
    });
  }

  protected search(): void {
    const raw = this.form.getRawValue();
    const filters = cleanFilters({ ...raw, from: fromLocalInput(raw.from), to: fromLocalInput(raw.to) });
    void this.router.navigate([], { queryParams: { ...filters, ...this.viewParam() } });
  }

  protected reset(): void {
    void this.router.navigate([], { queryParams: this.viewParam() });
  }

  protected setView(view: RequestLogView): void {
    void this.router.navigate([], {
      queryParams: { view: view === 'sessions' ? view : null, request: null },
      queryParamsHandling: 'merge',
    });
  }

  /** Narrows the log to one value (a session, a user…), keeping the other filters. */
  protected narrow(filters: RequestFilters): void {
    void this.router.navigate([], { queryParams: { ...this.store.filters(), ...filters } });
  }

  /** Opens a session's requests (the same session id in another tenant is another session). */
  protected openSession(sessionId: string, tenantId: string | null): void {
    this.narrow({ session: sessionId, ...(tenantId ? { tenant: tenantId } : {}) });
  }

  /**
   * "Correct this decision": the dialog starts from what the router chose and, when the prompt
   * was logged and the role may read it, from the user's message, so only what is wrong changes.
   */
  protected correct(): void {
    const d = this.store.detail();
    if (!d) return;
    const config = new MatDialogConfig<DecisionCorrectionData>();
    const prompt = d.prompt ? promptExcerpt(d.prompt.request, EXAMPLE_MAX_LENGTH) : '';
    config.data = {
      category: d.routing.category ?? d.category,
      tier: d.routing.tier ?? d.tier,
      ...(prompt ? { prompt } : {}),
    };
    this.dialog
      .open<DecisionCorrectionDialog, DecisionCorrectionData, CategoryResponseDto>(
        DecisionCorrectionDialog,
        config,
      )
      .afterClosed()
      .subscribe((updated) => {
        if (updated) this.snackBar.open(`Added as an example of ${updated.name}.`, 'OK', { duration: 5000 });
      });
  }

  private viewParam(): { view?: RequestLogView } {
    return this.store.view() === 'sessions' ? { view: 'sessions' } : {};
  }

  protected show(requestId: string): void {
    void this.router.navigate([], { queryParams: { request: requestId }, queryParamsHandling: 'merge' });
  }

  protected hide(): void {
    void this.router.navigate([], { queryParams: { request: null }, queryParamsHandling: 'merge' });
  }
}
