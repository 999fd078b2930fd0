import { NgTemplateOutlet } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  Directive,
  effect,
  inject,
  type OnInit,
  signal,
  type TemplateRef,
  untracked,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatExpansionModule } from '@angular/material/expansion';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';

import { AuthStore } from '../../core/auth/auth.store';
import { applyServerErrors, clearServerErrors, controlError } from '../../core/http/form-errors';
import { TIERS } from '../../core/routing/tiers';
import { TenantOptionsStore } from '../../core/tenants/tenant-options.store';
import { Confirmer } from '../../core/ui/confirm-dialog';
import { ErrorBanner } from '../../core/ui/error-banner';
import {
  CLASSIFIER_STRATEGIES,
  COST_MODES,
  fillRuleSetForm,
  keywordRuleGroup,
  type KeywordRuleGroup,
  roleRuleGroup,
  type RoleRuleGroup,
  ruleSetForm,
  SEARCH_SCOPES,
  THRESHOLD_KEYS,
  toRuleSetDto,
  WEIGHT_KEYS,
} from './rule-set-form';
import { RoutingReplayPanel } from './routing-replay-panel';
import { RuleSetsStore } from './rule-sets.store';
import { RuleTargetFields } from './rule-target-fields';

const WEIGHT_LABELS: Record<(typeof WEIGHT_KEYS)[number], string> = {
  tokenCount: 'Token count',
  systemPromptRole: 'System prompt role',
  contentKeywords: 'Content keywords',
  codeLanguage: 'Code language',
  conversationTurns: 'Conversation turns',
};

interface RuleOutlineContext {
  $implicit: KeywordRuleGroup | RoleRuleGroup;
  rules: { removeAt(index: number): void };
  index: number;
  /** More fields in the grid, after the name. */
  fields: TemplateRef<unknown>;
  /** Fields under the grid. */
  details?: TemplateRef<unknown>;
  /** More checkboxes, after "Enabled". */
  checks?: TemplateRef<unknown>;
}

/**
 * Types the shared outline of a keyword or role rule (`<ng-template appRuleOutline>`). A template,
 * not a wrapper component, so each panel stays a direct child of its accordion (the accordion
 * rounds the corners of its first and last panel).
 */
@Directive({ selector: 'ng-template[appRuleOutline]' })
export class RuleOutlineTemplate {
  static ngTemplateContextGuard(
    _directive: RuleOutlineTemplate,
    _context: unknown,
  ): _context is RuleOutlineContext {
    return true;
  }
}

/** Edits the global default rule set or one tenant's override; the server validates the whole set. */
@Component({
  selector: 'app-rule-set-editor',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ErrorBanner,
    MatButtonModule,
    MatCheckboxModule,
    MatExpansionModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    NgTemplateOutlet,
    ReactiveFormsModule,
    RoutingReplayPanel,
    RuleOutlineTemplate,
    RuleTargetFields,
  ],
  providers: [RuleSetsStore],
  templateUrl: './rule-set-editor.html',
  styleUrl: './rule-set-editor.scss',
})
export class RuleSetEditor implements OnInit {
  protected readonly store = inject(RuleSetsStore);
  protected readonly auth = inject(AuthStore);
  protected readonly tenants = inject(TenantOptionsStore);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly confirmer = inject(Confirmer);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly controlError = controlError;
  protected readonly tiers = TIERS;
  protected readonly costModes = COST_MODES;
  protected readonly strategies = CLASSIFIER_STRATEGIES;
  protected readonly searchScopes = SEARCH_SCOPES;
  protected readonly thresholdKeys = THRESHOLD_KEYS;
  protected readonly weightKeys = WEIGHT_KEYS;
  protected readonly weightLabels = WEIGHT_LABELS;
  protected readonly form = ruleSetForm(this.fb);
  protected readonly unmatched = signal<string[]>([]);
  /** The form's rule set as it is now, for the replay (saved or not). */
  protected readonly ruleSetNow = () => toRuleSetDto(this.form);

  constructor() {
    effect(() => {
      const ruleSet = this.store.ruleSet();
      if (ruleSet)
        untracked(() => {
          fillRuleSetForm(this.fb, this.form, ruleSet);
          if (!this.auth.can('routing.write')) this.form.disable();
          this.unmatched.set([]);
        });
    });
  }

  ngOnInit(): void {
    void this.tenants.load();
    void this.store.load('');
  }

  protected selectScope(scope: string): void {
    this.store.save$.clear();
    void this.store.load(scope);
  }

  /** The panel header's description: disabled, category, needs attention. */
  protected ruleSummary(rule: KeywordRuleGroup | RoleRuleGroup): string {
    const { enabled, category } = rule.controls;
    return `${enabled.value ? '' : 'disabled · '}${category.value} ${rule.invalid ? '· needs attention' : ''}`;
  }

  protected addKeywordRule(): void {
    this.form.controls.keywordRules.push(keywordRuleGroup(this.fb));
  }

  protected addRoleRule(): void {
    this.form.controls.systemPromptRoles.push(roleRuleGroup(this.fb));
  }

  protected async save(): Promise<void> {
    clearServerErrors(this.form);
    this.form.markAllAsTouched();
    if (this.form.invalid || this.store.save$.busy()) return;
    const result = await this.store.save(toRuleSetDto(this.form));
    if (result.ok) {
      this.snackBar.open('Rule set saved.', 'OK', { duration: 4000 });
    } else {
      this.unmatched.set(applyServerErrors(this.form, result.problem));
    }
  }

  protected async removeOverride(): Promise<void> {
    const confirmed = await this.confirmer.confirm({
      title: 'Remove the override?',
      message: 'The tenant uses the global default rule set again.',
      confirmLabel: 'Remove',
      destructive: true,
    });
    if (!confirmed) return;
    const result = await this.store.removeOverride();
    this.snackBar.open(result.ok ? 'Override removed.' : result.problem.message, 'OK', { duration: 5000 });
  }
}
