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
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { ActivatedRoute, Router } from '@angular/router';
import { toSignal } from '@angular/core/rxjs-interop';

import { AuthStore } from '../../core/auth/auth.store';
import { EmptyState } from '../../core/ui/empty-state';
import { ErrorBanner } from '../../core/ui/error-banner';
import { PageHeader } from '../../core/ui/page-header';
import { RoutingDecision } from '../../shared/routing-decision/routing-decision';
import { RoutingSteps } from '../../shared/routing-decision/routing-steps';
import { traceDecisionView } from '../routing/routing-trace.store';
import { cleanFilters, REQUEST_FILTERS, type RequestFilters, RequestsStore } from './requests.store';

/** Every request the gateway served: filters kept in the address, newest first, one request in detail. */
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
  private readonly query = toSignal(inject(ActivatedRoute).queryParamMap);
  protected readonly form = inject(NonNullableFormBuilder).group(
    Object.fromEntries(REQUEST_FILTERS.map((key) => [key, ''])) as Record<
      (typeof REQUEST_FILTERS)[number],
      string
    >,
  );
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
      untracked(() => {
        this.form.reset({ ...Object.fromEntries(REQUEST_FILTERS.map((k) => [k, ''])), ...filters });
        void this.store.apply(filters);
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
    void this.router.navigate([], { queryParams: cleanFilters(this.form.getRawValue()) });
  }

  protected reset(): void {
    void this.router.navigate([], { queryParams: {} });
  }

  /** Narrows the log to one value (a session, a user…), keeping the other filters. */
  protected narrow(filters: RequestFilters): void {
    void this.router.navigate([], { queryParams: { ...this.store.filters(), ...filters } });
  }

  protected show(requestId: string): void {
    void this.router.navigate([], { queryParams: { request: requestId }, queryParamsHandling: 'merge' });
  }

  protected hide(): void {
    void this.router.navigate([], { queryParams: { request: null }, queryParamsHandling: 'merge' });
  }
}
