import { DecimalPipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  type OnInit,
  untracked,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import {
  type FormGroupDirective,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatExpansionModule } from '@angular/material/expansion';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';

import { AuthStore } from '../../core/auth/auth.store';
import { controlError } from '../../core/http/form-errors';
import { EmptyState } from '../../core/ui/empty-state';
import { ErrorBanner } from '../../core/ui/error-banner';
import { PageHeader } from '../../core/ui/page-header';
import { MarkdownView } from './markdown-view';
import { type ChatTurn, PlaygroundStore } from './playground.store';

/**
 * Chat with a tenant's models (or `auto`) through the gateway, as the signed-in user: answers stream
 * in, and each one shows the model that served it, the routing decision, cost and latency, with
 * links to its request-log entry and routing trace.
 */
@Component({
  selector: 'app-playground-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DecimalPipe,
    EmptyState,
    ErrorBanner,
    MarkdownView,
    MatButtonModule,
    MatExpansionModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    PageHeader,
    ReactiveFormsModule,
    RouterLink,
  ],
  providers: [PlaygroundStore],
  templateUrl: './playground.page.html',
  styleUrl: './playground.page.scss',
})
export class PlaygroundPage implements OnInit {
  protected readonly store = inject(PlaygroundStore);
  private readonly auth = inject(AuthStore);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly controlError = controlError;
  protected readonly settings = this.fb.group({
    tenantId: ['', [Validators.required]],
    model: ['auto', [Validators.required]],
    systemPrompt: ['', [Validators.maxLength(20_000)]],
    temperature: this.fb.control<number | null>(null, [Validators.min(0), Validators.max(2)]),
    maxTokens: this.fb.control<number | null>(null, [Validators.min(1), Validators.max(1_000_000)]),
  });
  protected readonly composer = this.fb.group({
    message: ['', [Validators.required, Validators.maxLength(100_000)]],
  });

  private readonly tenantId = toSignal(this.settings.controls.tenantId.valueChanges, { initialValue: '' });
  protected readonly models = computed(
    () => this.store.tenants().find((t) => t.id === this.tenantId())?.models ?? [],
  );
  protected readonly canReadRequests = computed(() => this.auth.can('requests.read'));
  protected readonly canReadRouting = computed(() => this.auth.can('routing.read'));

  constructor() {
    // First tenant preselected; the model falls back to the tenant's first when it lacks the current one.
    effect(() => {
      const tenants = this.store.tenants();
      untracked(() => {
        const first = tenants[0];
        if (first && !this.settings.controls.tenantId.value)
          this.settings.controls.tenantId.setValue(first.id);
      });
    });
    effect(() => {
      const models = this.models();
      untracked(() => {
        const model = this.settings.controls.model;
        if (models.length > 0 && !models.includes(model.value)) model.setValue(models[0] ?? 'auto');
      });
    });
  }

  ngOnInit(): void {
    void this.store.loadTenants();
  }

  /** `form` is the composer's directive: resetting through it also clears its submitted state. */
  protected send(form: FormGroupDirective): void {
    this.settings.markAllAsTouched();
    this.composer.markAllAsTouched();
    if (this.settings.invalid || this.composer.invalid || this.store.streaming()) return;
    const message = this.composer.controls.message.value.trim();
    if (!message) return;
    this.store.send(this.settings.getRawValue(), message);
    form.resetForm();
  }

  /** Ctrl+Enter (or ⌘+Enter) sends; Enter alone makes a new line. */
  protected onKeydown(event: KeyboardEvent, form: FormGroupDirective): void {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.send(form);
    }
  }

  protected routingSummary(turn: ChatTurn): string | null {
    const routing = turn.meta?.routing;
    if (!routing) return null;
    const parts = [routing.category ?? 'no category', routing.tier ?? 'no tier'];
    if (routing.confidence !== null) parts.push(`confidence ${routing.confidence.toFixed(2)}`);
    return `auto-routed: ${parts.join(' · ')}`;
  }
}
