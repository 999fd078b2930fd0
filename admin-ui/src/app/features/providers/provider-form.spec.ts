import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MatIconTestingModule } from '@angular/material/icon/testing';

import { type CreateProviderDto } from '../../api/models/create-provider-dto';
import { type ProviderResponseDto } from '../../api/models/provider-response-dto';
import { ProviderForm } from './provider-form';

function stored(overrides: Partial<ProviderResponseDto> = {}): ProviderResponseDto {
  return {
    id: 'p1',
    name: 'Corp OpenAI',
    slug: 'corp-openai',
    type: 'openai',
    baseUrl: 'https://llm.corp',
    enabled: true,
    hasCredentials: true,
    auth: { type: 'api_key', apiKey: '********' },
    options: {},
    status: 'connected',
    statusMessage: null,
    lastCheckedAt: null,
    modelCount: 3,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

describe('ProviderForm', () => {
  let fixture: ComponentFixture<ProviderForm>;
  let host: HTMLElement;
  let saved: CreateProviderDto[];

  beforeEach(() => {
    TestBed.configureTestingModule({ imports: [MatIconTestingModule] });
  });

  async function render(provider: ProviderResponseDto | null = null): Promise<void> {
    fixture = TestBed.createComponent(ProviderForm);
    fixture.componentRef.setInput('provider', provider);
    saved = [];
    fixture.componentInstance.save.subscribe((dto) => saved.push(dto));
    host = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  }

  function input(name: string): HTMLInputElement {
    const element = host.querySelector<HTMLInputElement>(`[formcontrolname="${name}"]`);
    if (!element) throw new Error(`no input ${name}`);
    return element;
  }

  async function type(name: string, value: string): Promise<void> {
    const element = input(name);
    element.value = value;
    element.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  async function submit(): Promise<void> {
    host.querySelector('form')?.dispatchEvent(new Event('submit'));
    await fixture.whenStable();
  }

  it('requires a name and, for a new OpenAI provider, the API key', async () => {
    await render();
    await submit();
    expect(saved).toEqual([]);
    expect(host.textContent).toContain('Name is required.');
    expect(host.textContent).toContain('API key is required.');
  });

  it('builds the create body, trimming a trailing slash from the base URL', async () => {
    await render();
    await type('name', ' Corp OpenAI ');
    await type('baseUrl', 'https://llm.corp/');
    await type('apiKey', 'sk-123');
    await submit();
    expect(saved).toEqual([
      {
        name: 'Corp OpenAI',
        type: 'openai',
        enabled: true,
        baseUrl: 'https://llm.corp',
        auth: { type: 'api_key', apiKey: 'sk-123' },
        options: { skipTlsVerify: false },
      },
    ]);
  });

  it('offers to remove a pasted /v1 from the base URL', async () => {
    await render();
    await type('baseUrl', 'https://llm.corp/v1');
    expect(host.textContent).toContain('Leave out the trailing /v1');
    const fix = [...host.querySelectorAll('button')].find((b) => b.textContent.includes('Remove /v1'));
    fix?.click();
    await fixture.whenStable();
    expect(input('baseUrl').value).toBe('https://llm.corp');
  });

  it('keeps a stored secret by sending the mask when the key field is left empty', async () => {
    await render(stored());
    expect(input('name').value).toBe('Corp OpenAI');
    expect(input('apiKey').value).toBe('');
    await submit();
    expect(saved[0]?.auth).toEqual({ type: 'api_key', apiKey: '********' });
  });

  it('asks Azure for its deployments and sends them as a list', async () => {
    await render(stored({ type: 'azure', baseUrl: 'https://corp.openai.azure.com' }));
    await type('deployments', '');
    await submit();
    expect(saved).toEqual([]);
    expect(host.textContent).toContain('Deployments is required.');
    await type('deployments', 'gpt-4o, gpt-4o-mini');
    await submit();
    expect(saved[0]?.options?.deployments).toEqual(['gpt-4o', 'gpt-4o-mini']);
  });

  it('shows server validation messages next to the matching field', async () => {
    await render();
    fixture.componentRef.setInput('problem', {
      status: 400,
      message: 'Please correct the highlighted fields.',
      fieldErrors: { baseUrl: ['baseUrl must be a URL address'], 'auth.apiKey': ['apiKey is too long'] },
    });
    await fixture.whenStable();
    expect(host.textContent).toContain('BaseUrl must be a URL address.');
    expect(host.textContent).toContain('ApiKey is too long.');
  });
});
