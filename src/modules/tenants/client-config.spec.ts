import { buildClientConfig, CLIENT_TOOLS, KEY_PLACEHOLDER } from './client-config';
import { defaultTenantSettings } from './tenant-defaults';
import type { TenantView } from './tenant.types';

const tenant = {
  ...defaultTenantSettings(),
  id: 't1',
  slug: 'acme',
  name: 'Acme',
  isDefault: false,
} as unknown as TenantView;

describe('client config generator', () => {
  it.each(CLIENT_TOOLS)('%s points at the tenant endpoint with a key placeholder', (tool) => {
    const config = buildClientConfig(tool, 'https://llm.example.com/', tenant);
    expect(config.endpoint).toBe('https://llm.example.com/api/acme/v1');
    expect(config.content).toContain(KEY_PLACEHOLDER);
    expect(config.content).not.toMatch(/omp-[0-9a-f]{8}/);
  });

  it('Claude Code gets ANTHROPIC_BASE_URL so that /v1/messages lands on the gateway', () => {
    const config = buildClientConfig('claude-code', 'https://llm.example.com', tenant);
    expect(config.content).toContain("export ANTHROPIC_BASE_URL='https://llm.example.com/api/acme'");
    const onDefault = buildClientConfig('claude-code', 'https://llm.example.com', {
      ...tenant,
      isDefault: true,
      slug: 'default',
    });
    expect(onDefault.content).toContain("ANTHROPIC_BASE_URL='https://llm.example.com'");
  });

  it("OpenCode uses model auto (not the reference system's broken model-prism) and is valid JSON", () => {
    const config = JSON.parse(buildClientConfig('opencode', 'https://x', tenant).content);
    expect(config.model).toBe('model-prism/auto');
    expect(config.provider['model-prism'].options.baseURL).toBe('https://x/api/acme/v1');
    expect(Object.keys(config.provider['model-prism'].models)).toEqual(['auto']);
  });

  it('uses the default model when the tenant does not auto-route', () => {
    const fixed = { ...tenant, routing: { ...tenant.routing, enabled: false, defaultModel: 'gpt-4o' } };
    expect(buildClientConfig('openai-python', 'https://x', fixed).content).toContain('model="gpt-4o"');
  });
});
