import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal } from '@angular/core';
import { MatTabsModule } from '@angular/material/tabs';

import { AuthStore } from '../../core/auth/auth.store';
import { PageHeader } from '../../core/ui/page-header';
import { RoutingSuites } from './routing-suites';
import { RoutingTester } from './routing-tester';
import { RoutingTraceLookup } from './routing-trace-lookup';
import { RuleSetEditor } from './rule-set-editor';

/** Index of the trace lookup tab (after "Dry run", "Rule sets" and "Test suites"). */
const TRACE_TAB = 3;

/**
 * Routing tools: the dry-run tester, the rule sets (global default, per-tenant overrides, replay of
 * history through the edited set), synthetic test suites and, for
 * roles that may read requests, the trace lookup (`/routing?trace=<id>` opens it with the id).
 */
@Component({
  selector: 'app-routing-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatTabsModule, PageHeader, RoutingSuites, RoutingTester, RoutingTraceLookup, RuleSetEditor],
  template: `
    <app-page-header
      title="Routing"
      subtitle="Try how a prompt is routed, step by step, and tune the rules behind it."
    />
    <mat-tab-group mat-stretch-tabs="false" [(selectedIndex)]="selectedTab">
      <mat-tab label="Dry run">
        <ng-template matTabContent
          ><div class="tab-body"><app-routing-tester /></div
        ></ng-template>
      </mat-tab>
      <mat-tab label="Rule sets">
        <ng-template matTabContent
          ><div class="tab-body"><app-rule-set-editor /></div
        ></ng-template>
      </mat-tab>
      <mat-tab label="Test suites">
        <ng-template matTabContent
          ><div class="tab-body"><app-routing-suites /></div
        ></ng-template>
      </mat-tab>
      @if (canReadTraces()) {
        <mat-tab label="Trace lookup">
          <ng-template matTabContent
            ><div class="tab-body"><app-routing-trace-lookup [initialId]="trace()" /></div
          ></ng-template>
        </mat-tab>
      }
    </mat-tab-group>
  `,
  styles: `
    .tab-body {
      padding-top: 16px;
    }
  `,
})
export class RoutingPage {
  /** Query parameter: a request or trace id to look up. */
  readonly trace = input<string>();

  private readonly auth = inject(AuthStore);
  protected readonly canReadTraces = computed(() => this.auth.can('requests.read'));
  protected readonly selectedTab = linkedSignal(() => (this.trace() && this.canReadTraces() ? TRACE_TAB : 0));
}
