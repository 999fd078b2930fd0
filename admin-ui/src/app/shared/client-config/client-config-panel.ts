import { ChangeDetectionStrategy, Component, effect, inject, input, signal, untracked } from '@angular/core';
import { type MatButtonToggleChange, MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatProgressBarModule } from '@angular/material/progress-bar';

import { CopyButton } from '../../core/ui/copy-button';
import { ErrorBanner } from '../../core/ui/error-banner';
import { type ClientConfigSource, ClientConfigStore, type ClientTool } from './client-config.store';

export const CLIENT_TOOLS: readonly { tool: ClientTool; label: string }[] = [
  { tool: 'continue', label: 'Continue' },
  { tool: 'cursor', label: 'Cursor' },
  { tool: 'claude-code', label: 'Claude Code' },
  { tool: 'opencode', label: 'OpenCode' },
  { tool: 'open-webui', label: 'Open WebUI' },
  { tool: 'openai-python', label: 'Python SDK' },
  { tool: 'openai-node', label: 'Node.js SDK' },
];

/** Ready-to-paste configuration for developer tools; the key is a placeholder, never a real key. */
@Component({
  selector: 'app-client-config-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [CopyButton, ErrorBanner, MatButtonToggleModule, MatProgressBarModule],
  providers: [ClientConfigStore],
  template: `
    <mat-button-toggle-group
      [value]="tool()"
      (change)="onToolChange($event)"
      aria-label="Client tool"
      class="tools"
      hideSingleSelectionIndicator
    >
      @for (choice of tools; track choice.tool) {
        <mat-button-toggle [value]="choice.tool">{{ choice.label }}</mat-button-toggle>
      }
    </mat-button-toggle-group>
    <app-error-banner [problem]="load$.problem()" [retryable]="true" (retry)="load()" />
    @if (load$.busy()) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading the configuration" />
    }
    @if (config(); as c) {
      <section class="config" [attr.aria-label]="c.title">
        <h3>{{ c.title }}</h3>
        <p class="target">
          Put this in <code>{{ c.target }}</code>
        </p>
        <p class="endpoint">
          Base URL <code>{{ c.endpoint }}</code>
          <app-copy-button [value]="c.endpoint" label="Copy the base URL" />
        </p>
        @if (c.instructions.length) {
          <ol>
            @for (step of c.instructions; track $index) {
              <li>{{ step }}</li>
            }
          </ol>
        }
        <div class="content">
          <app-copy-button [value]="c.content" [label]="'Copy the ' + c.title + ' configuration'" />
          <pre tabindex="0" [attr.aria-label]="c.title + ' configuration'"><code>{{ c.content }}</code></pre>
        </div>
        <p class="hint">Replace <code>&lt;YOUR_API_KEY&gt;</code> with one of the tenant's keys.</p>
      </section>
    }
  `,
  styles: `
    .tools {
      flex-wrap: wrap;
      margin-bottom: 12px;
    }
    h3 {
      margin: 8px 0 4px;
      font: var(--mat-sys-title-medium);
    }
    .target,
    .endpoint,
    .hint {
      margin: 4px 0;
      display: flex;
      align-items: center;
      gap: 4px;
      flex-wrap: wrap;
    }
    .content {
      position: relative;
    }
    .content app-copy-button {
      position: absolute;
      top: 4px;
      right: 4px;
    }
    pre {
      margin: 8px 0;
      padding: 12px 48px 12px 12px;
      overflow-x: auto;
      border-radius: var(--mat-sys-corner-small);
      background: var(--mat-sys-surface-container-high);
      font-size: 13px;
    }
  `,
})
export class ClientConfigPanel {
  readonly source = input.required<ClientConfigSource>();
  readonly tenantId = input.required<string>();
  private readonly store = inject(ClientConfigStore);

  protected readonly tools = CLIENT_TOOLS;
  protected readonly tool = signal<ClientTool>('continue');
  protected readonly config = this.store.config;
  protected readonly load$ = this.store.load$;

  constructor() {
    effect(() => {
      this.tenantId();
      this.tool();
      untracked(() => void this.load());
    });
  }

  protected onToolChange(event: MatButtonToggleChange): void {
    const choice = CLIENT_TOOLS.find((c) => c.tool === event.value);
    if (choice) this.tool.set(choice.tool);
  }

  protected async load(): Promise<void> {
    await this.store.load(this.source(), this.tenantId(), this.tool());
  }
}
