import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { type RoutingOverrideDto } from '../../api/models/routing-override-dto';

/** A routing decision in the shape both the dry run and a stored trace can fill. */
export interface RoutingDecisionView {
  routed: boolean;
  /** Model id; null when no usable model was found. */
  model: string | null;
  provider: string | null;
  tier: string;
  category: string | null;
  confidence: number;
  source: string;
  selectionMethod: string;
  routingMs: number;
  reason: string;
  overrides: readonly RoutingOverrideDto[];
  /** One line about the LLM classifier call, when one was made. */
  classifier?: string | null;
  /** Category system prompt that is (or would be) injected. */
  systemPrompt?: string | null;
  /** Further facts shown after the standard ones (request id, time…). */
  extra?: readonly { label: string; value: string }[];
}

let nextId = 0;

/** The decision facts (model, provider, tier, category…), the reason and the tier overrides. */
@Component({
  selector: 'app-routing-decision',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DecimalPipe],
  template: `
    @let d = decision();
    <section class="decision" [attr.aria-labelledby]="titleId">
      <h2 [id]="titleId">{{ title() }}</h2>
      <dl class="facts">
        <div>
          <dt>Model</dt>
          <dd data-testid="decision-model">
            @if (d.model; as model) {
              <code>{{ model }}</code>
            } @else {
              <span class="muted">none usable</span>
            }
          </dd>
        </div>
        <div>
          <dt>Provider</dt>
          <dd data-testid="decision-provider">{{ d.provider ?? '—' }}</dd>
        </div>
        <div>
          <dt>Tier</dt>
          <dd data-testid="decision-tier">{{ d.tier }}</dd>
        </div>
        <div>
          <dt>Category</dt>
          <dd data-testid="decision-category">{{ d.category ?? '—' }}</dd>
        </div>
        <div>
          <dt>Confidence</dt>
          <dd>{{ d.confidence | number: '1.2-2' }}</dd>
        </div>
        <div>
          <dt>Decided by</dt>
          <dd>{{ d.source }} · {{ d.selectionMethod }}</dd>
        </div>
        <div>
          <dt>Routing time</dt>
          <dd>{{ d.routingMs | number: '1.0-2' }} ms</dd>
        </div>
        @if (d.classifier) {
          <div>
            <dt>LLM classifier</dt>
            <dd>{{ d.classifier }}</dd>
          </div>
        }
        @for (fact of d.extra ?? []; track fact.label) {
          <div>
            <dt>{{ fact.label }}</dt>
            <dd>{{ fact.value }}</dd>
          </div>
        }
      </dl>
      <p class="reason">{{ d.routed ? d.reason : 'Not routed: ' + d.reason }}</p>
      @if (d.overrides.length > 0) {
        <ul class="overrides" aria-label="Tier overrides">
          @for (override of d.overrides; track $index) {
            <li>
              <code>{{ override.code }}</code> {{ override.from }} → {{ override.to }}
              @if (override.detail) {
                <span class="muted">({{ override.detail }})</span>
              }
            </li>
          }
        </ul>
      }
      @if (d.systemPrompt) {
        <details>
          <summary>{{ systemPromptLabel() }}</summary>
          <pre>{{ d.systemPrompt }}</pre>
        </details>
      }
    </section>
  `,
  styles: `
    .decision {
      margin-top: 24px;
    }
    h2 {
      font: var(--mat-sys-title-medium);
      margin: 0 0 12px;
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    .facts {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
      gap: 12px 24px;
      margin: 0;

      dt {
        color: var(--mat-sys-on-surface-variant);
        font: var(--mat-sys-label-medium);
      }

      dd {
        margin: 2px 0 0;
        font: var(--mat-sys-body-large);
        overflow-wrap: anywhere;
      }
    }
    .reason {
      margin: 16px 0 8px;
    }
    .overrides {
      margin: 0 0 8px;
    }
    pre {
      white-space: pre-wrap;
      font: var(--mat-sys-body-small);
    }
  `,
})
export class RoutingDecision {
  readonly decision = input.required<RoutingDecisionView>();
  readonly title = input('Decision');
  readonly systemPromptLabel = input('Category system prompt that would be injected');

  protected readonly titleId = `routing-decision-title-${String(nextId++)}`;
}
