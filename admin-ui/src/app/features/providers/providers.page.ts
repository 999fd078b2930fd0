import { ChangeDetectionStrategy, Component } from '@angular/core';

import { EmptyState } from '../../core/ui/empty-state';
import { PageHeader } from '../../core/ui/page-header';

@Component({
  selector: 'app-providers-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [EmptyState, PageHeader],
  template: `
    <app-page-header title="Providers" subtitle="Upstream LLM endpoints the gateway forwards to." />
    <app-empty-state
      icon="dns"
      title="No providers yet"
      message="Add an OpenAI-compatible, Ollama, vLLM, Bedrock, Azure or OpenRouter endpoint to start routing requests."
    />
  `,
})
export class ProvidersPage {}
