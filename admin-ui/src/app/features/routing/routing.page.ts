import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatTabsModule } from '@angular/material/tabs';

import { PageHeader } from '../../core/ui/page-header';
import { RoutingTester } from './routing-tester';
import { RuleSetEditor } from './rule-set-editor';

/** Routing tools: the dry-run tester and the rule sets (global default, per-tenant overrides). */
@Component({
  selector: 'app-routing-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatTabsModule, PageHeader, RoutingTester, RuleSetEditor],
  template: `
    <app-page-header
      title="Routing"
      subtitle="Try how a prompt is routed, step by step, and tune the rules behind it."
    />
    <mat-tab-group mat-stretch-tabs="false">
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
    </mat-tab-group>
  `,
  styles: `
    .tab-body {
      padding-top: 16px;
    }
  `,
})
export class RoutingPage {}
