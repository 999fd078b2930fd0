import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';

import { type ClassifierEndpointDto } from '../../api/models/classifier-endpoint-dto';
import { type TenantResponseDto } from '../../api/models/tenant-response-dto';
import { type TenantRoutingDto } from '../../api/models/tenant-routing-dto';
import { type UpdateTenantDto } from '../../api/models/update-tenant-dto';
import { controlError } from '../../core/http/form-errors';
import { type Tier, TIERS } from '../../core/routing/tiers';
import { ErrorBanner } from '../../core/ui/error-banner';
import { TenantTabBase } from './tenant-tab-base';

type Strictness = NonNullable<TenantRoutingDto['strictness']>;
type CostMode = NonNullable<TenantRoutingDto['costMode']>;

/** Server rules (ClassifierEndpointDto, TenantRoutingDto.classifierChain). */
const MODEL_REF = /^\S{1,200}$/;
export const MAX_CLASSIFIERS = 5;

function classifierRow(fb: NonNullableFormBuilder, endpoint?: ClassifierEndpointDto) {
  return fb.group({
    model: [endpoint?.model ?? '', [Validators.required, Validators.pattern(MODEL_REF)]],
    providerId: [endpoint?.providerId ?? ''],
    contextWindow: fb.control<number | null>(endpoint?.contextWindow ?? null, [
      Validators.min(512),
      Validators.max(100_000_000),
    ]),
  });
}

function routingForm(fb: NonNullableFormBuilder) {
  return fb.group({
    routing: fb.group({
      enabled: [true],
      strictness: fb.control<Strictness>('off'),
      costMode: fb.control<CostMode | null>(null),
      defaultModel: [''],
      baselineModel: [''],
      optOutToken: ['', [Validators.pattern(/^\S{3,100}$/)]],
      overrides: fb.group({
        vision: [true],
        toolCalls: [true],
        toolCallMinTier: fb.control<Tier>('medium'),
        lowConfidence: [true],
        lowConfidenceThreshold: fb.control<number>(0.4, [Validators.min(0), Validators.max(1)]),
        domainGate: [true],
        frustration: [true],
        longContext: [true],
        outputLength: [true],
        conversationTurns: [false],
        conversationTurnThreshold: fb.control<number>(20, [Validators.min(1), Validators.max(1000)]),
      }),
      classifierChain: fb.array<ReturnType<typeof classifierRow>>([]),
    }),
  });
}
type RoutingForm = ReturnType<typeof routingForm>;

/** Auto-routing: on/off, force-route strictness, cost mode, defaults and the override rules. */
@Component({
  selector: 'app-tenant-routing-tab',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ErrorBanner,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    ReactiveFormsModule,
  ],
  template: `
    <app-error-banner [problem]="store.save$.problem()" [extra]="unmatched()" />
    <form class="tab-form" [formGroup]="form" (ngSubmit)="save()" novalidate aria-label="Routing">
      <ng-container formGroupName="routing">
        <mat-checkbox formControlName="enabled"
          >Auto-routing (model "auto" picks a model per request)</mat-checkbox
        >
        <div class="grid">
          <mat-form-field>
            <mat-label>Force auto-routing</mat-label>
            <mat-select formControlName="strictness">
              <mat-option value="off">Off: use the requested model</mat-option>
              <mat-option value="fim_only">Autocomplete requests only</mat-option>
              <mat-option value="smart">Smart: route unless the model fits the task</mat-option>
              <mat-option value="all">All requests</mat-option>
            </mat-select>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Cost mode</mat-label>
            <mat-select formControlName="costMode">
              <mat-option [value]="null">Rule-set default</mat-option>
              <mat-option value="economy">Economy (one tier cheaper)</mat-option>
              <mat-option value="balanced">Balanced</mat-option>
              <mat-option value="quality">Quality (one tier better)</mat-option>
            </mat-select>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Default model</mat-label>
            <input matInput formControlName="defaultModel" placeholder="when routing finds none" />
          </mat-form-field>
          <mat-form-field>
            <mat-label>Baseline model (for savings)</mat-label>
            <input matInput formControlName="baselineModel" />
          </mat-form-field>
          <mat-form-field>
            <mat-label>Opt-out token</mat-label>
            <input matInput formControlName="optOutToken" placeholder="--model-prism-accept-model" />
            <mat-hint>In a message, keeps the requested model for that request.</mat-hint>
            @if (form.controls.routing.controls.optOutToken.invalid) {
              <mat-error>{{
                controlError(
                  form.controls.routing.controls.optOutToken,
                  'Token',
                  '3 to 100 characters without spaces'
                )
              }}</mat-error>
            }
          </mat-form-field>
        </div>
        <fieldset formGroupName="overrides">
          <legend>Overrides (raise the tier when…)</legend>
          <div class="grid">
            <mat-checkbox formControlName="vision">the request has images</mat-checkbox>
            <mat-checkbox formControlName="toolCalls">the request uses tools</mat-checkbox>
            <mat-form-field>
              <mat-label>Minimum tier with tools</mat-label>
              <mat-select formControlName="toolCallMinTier">
                @for (tier of tiers; track tier) {
                  <mat-option [value]="tier">{{ tier }}</mat-option>
                }
              </mat-select>
            </mat-form-field>
            <mat-checkbox formControlName="lowConfidence">the classifier is unsure</mat-checkbox>
            <mat-form-field>
              <mat-label>Confidence threshold</mat-label>
              <input
                matInput
                type="number"
                formControlName="lowConfidenceThreshold"
                min="0"
                max="1"
                step="0.05"
              />
              @if (form.controls.routing.controls.overrides.controls.lowConfidenceThreshold.invalid) {
                <mat-error>{{
                  controlError(
                    form.controls.routing.controls.overrides.controls.lowConfidenceThreshold,
                    'Threshold'
                  )
                }}</mat-error>
              }
            </mat-form-field>
            <mat-checkbox formControlName="domainGate"
              >it touches security, legal, medical or finance</mat-checkbox
            >
            <mat-checkbox formControlName="frustration">the user sounds frustrated</mat-checkbox>
            <mat-checkbox formControlName="longContext">the context is long</mat-checkbox>
            <mat-checkbox formControlName="outputLength">a long answer is requested</mat-checkbox>
            <mat-checkbox formControlName="conversationTurns">the conversation is long</mat-checkbox>
            <mat-form-field>
              <mat-label>Turns that count as long</mat-label>
              <input matInput type="number" formControlName="conversationTurnThreshold" min="1" max="1000" />
              @if (form.controls.routing.controls.overrides.controls.conversationTurnThreshold.invalid) {
                <mat-error>{{
                  controlError(
                    form.controls.routing.controls.overrides.controls.conversationTurnThreshold,
                    'Turns'
                  )
                }}</mat-error>
              }
            </mat-form-field>
          </div>
        </fieldset>
        <fieldset class="classifiers">
          <legend>LLM classifier chain</legend>
          <p class="hint">
            Asked when the local classifier is unsure (the rule set's confidence threshold); the first that
            answers decides, the others are fallbacks in this order.
          </p>
          <div formArrayName="classifierChain">
            @for (row of form.controls.routing.controls.classifierChain.controls; track row; let i = $index) {
              <div
                class="classifier"
                [formGroupName]="i"
                role="group"
                [attr.aria-label]="'Classifier ' + (i + 1)"
              >
                <mat-form-field>
                  <mat-label>Model</mat-label>
                  <input matInput formControlName="model" autocomplete="off" placeholder="gpt-4o-mini" />
                  @if (row.controls.model.invalid) {
                    <mat-error>{{
                      controlError(row.controls.model, 'Model', 'no spaces (at most 200 characters)')
                    }}</mat-error>
                  }
                </mat-form-field>
                <mat-form-field>
                  <mat-label>Provider</mat-label>
                  <mat-select formControlName="providerId">
                    <mat-option value="">Any that serves the model</mat-option>
                    @for (provider of store.providers(); track provider.id) {
                      <mat-option [value]="provider.id">{{ provider.name }}</mat-option>
                    }
                  </mat-select>
                </mat-form-field>
                <mat-form-field>
                  <mat-label>Context window</mat-label>
                  <input matInput type="number" formControlName="contextWindow" min="512" />
                  <mat-hint>Optional; the prompt is cut to fit.</mat-hint>
                  @if (row.controls.contextWindow.invalid) {
                    <mat-error>{{ controlError(row.controls.contextWindow, 'Context window') }}</mat-error>
                  }
                </mat-form-field>
                @if (auth.can('tenants.write')) {
                  <button
                    mat-icon-button
                    type="button"
                    (click)="removeClassifier(i)"
                    [attr.aria-label]="'Remove classifier ' + (i + 1)"
                  >
                    <mat-icon svgIcon="delete" />
                  </button>
                }
              </div>
            } @empty {
              <p class="hint">No LLM classifier: unsure requests keep the local classifier's answer.</p>
            }
          </div>
          @if (
            auth.can('tenants.write') &&
            form.controls.routing.controls.classifierChain.length < maxClassifiers
          ) {
            <button mat-stroked-button type="button" (click)="addClassifier()">
              <mat-icon svgIcon="add" />
              Add classifier
            </button>
          }
        </fieldset>
      </ng-container>
      @if (auth.can('tenants.write')) {
        <div class="tab-actions">
          <button mat-flat-button type="submit" [disabled]="store.save$.busy()">Save routing</button>
        </div>
      }
    </form>
  `,
  styles: `
    .classifier {
      display: flex;
      flex-wrap: wrap;
      gap: 0 12px;
      align-items: flex-start;
    }
    .classifier mat-form-field {
      flex: 1 1 200px;
    }
    .hint {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(280px, 1fr));
      gap: 8px 16px;
      align-items: center;
      margin-top: 12px;
    }
  `,
})
export class TenantRoutingTab extends TenantTabBase<RoutingForm> {
  protected readonly controlError = controlError;
  protected readonly tiers = TIERS;
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly form = routingForm(this.fb);
  protected readonly maxClassifiers = MAX_CLASSIFIERS;

  protected addClassifier(): void {
    this.form.controls.routing.controls.classifierChain.push(classifierRow(this.fb));
  }

  protected removeClassifier(index: number): void {
    this.form.controls.routing.controls.classifierChain.removeAt(index);
    this.form.markAsDirty();
  }

  protected fill(tenant: TenantResponseDto): void {
    const r = tenant.routing;
    const o = r.overrides ?? {};
    this.form.reset({
      routing: {
        enabled: r.enabled ?? true,
        strictness: r.strictness ?? 'off',
        costMode: r.costMode ?? null,
        defaultModel: r.defaultModel ?? '',
        baselineModel: r.baselineModel ?? '',
        optOutToken: r.optOutToken ?? '',
        overrides: {
          vision: o.vision ?? true,
          toolCalls: o.toolCalls ?? true,
          toolCallMinTier: o.toolCallMinTier ?? 'medium',
          lowConfidence: o.lowConfidence ?? true,
          lowConfidenceThreshold: o.lowConfidenceThreshold ?? 0.4,
          domainGate: o.domainGate ?? true,
          frustration: o.frustration ?? true,
          longContext: o.longContext ?? true,
          outputLength: o.outputLength ?? true,
          conversationTurns: o.conversationTurns ?? false,
          conversationTurnThreshold: o.conversationTurnThreshold ?? 20,
        },
      },
    });
    const chain = this.form.controls.routing.controls.classifierChain;
    chain.clear();
    for (const endpoint of r.classifierChain ?? []) chain.push(classifierRow(this.fb, endpoint));
  }

  protected toUpdate(): UpdateTenantDto {
    const r = this.form.getRawValue().routing;
    return {
      routing: {
        enabled: r.enabled,
        strictness: r.strictness,
        costMode: r.costMode,
        defaultModel: r.defaultModel.trim() || null,
        baselineModel: r.baselineModel.trim() || null,
        ...(r.optOutToken.trim() ? { optOutToken: r.optOutToken.trim() } : {}),
        overrides: r.overrides,
        classifierChain: r.classifierChain.map((c) => ({
          model: c.model.trim(),
          ...(c.providerId ? { providerId: c.providerId } : {}),
          ...(c.contextWindow != null ? { contextWindow: c.contextWindow } : {}),
        })),
      },
    };
  }
}
