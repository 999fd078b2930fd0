import type { TenantView } from './tenant.types';

export const CLIENT_TOOLS = [
  'continue',
  'cursor',
  'claude-code',
  'opencode',
  'open-webui',
  'openai-python',
  'openai-node',
] as const;
export type ClientTool = (typeof CLIENT_TOOLS)[number];

export const KEY_PLACEHOLDER = '<YOUR_API_KEY>';

export interface ClientConfig {
  tool: ClientTool;
  title: string;
  target: string;
  format: 'yaml' | 'json' | 'shell' | 'python' | 'javascript' | 'text';
  content: string;
  instructions: string[];
  endpoint: string;
}

/** The OpenAI-compatible base URL of a tenant (`/api/v1` for the default tenant). */
export function tenantEndpoint(origin: string, tenant: Pick<TenantView, 'slug' | 'isDefault'>): string {
  const base = origin.replace(/\/+$/, '');
  return tenant.isDefault ? `${base}/api/v1` : `${base}/api/${tenant.slug}/v1`;
}

/** Base for Anthropic clients, which append `/v1/messages` themselves. */
export function anthropicBaseUrl(origin: string, tenant: Pick<TenantView, 'slug' | 'isDefault'>): string {
  const base = origin.replace(/\/+$/, '');
  return tenant.isDefault ? base : `${base}/api/${tenant.slug}`;
}

/** `auto` when the tenant auto-routes, else its default model. */
function modelFor(tenant: Pick<TenantView, 'routing'>): string {
  return tenant.routing.enabled ? 'auto' : (tenant.routing.defaultModel ?? 'auto');
}

const yamlString = (value: string): string => JSON.stringify(value);

/**
 * Ready-to-paste configuration for a developer tool pointing at the tenant's gateway endpoint.
 * The key is always the placeholder: keys are never retrievable after creation.
 */
export function buildClientConfig(tool: ClientTool, origin: string, tenant: TenantView): ClientConfig {
  const endpoint = tenantEndpoint(origin, tenant);
  const model = modelFor(tenant);
  const label = `Model Prism (${tenant.name})`;
  switch (tool) {
    case 'continue':
      return {
        tool,
        title: 'Continue',
        target: '~/.continue/config.yaml',
        format: 'yaml',
        endpoint,
        instructions: [
          'Add these models to ~/.continue/config.yaml (or the models list of your existing file).',
          `Replace ${KEY_PLACEHOLDER} with a key of tenant ${tenant.slug}.`,
          'Autocomplete requests are recognised as fill-in-the-middle and routed to a fast model.',
        ],
        content: [
          `name: ${yamlString(label)}`,
          'version: 1.0.0',
          'schema: v1',
          'models:',
          `  - name: ${yamlString(`${label} chat`)}`,
          '    provider: openai',
          `    model: ${yamlString(model)}`,
          `    apiBase: ${yamlString(endpoint)}`,
          `    apiKey: ${yamlString(KEY_PLACEHOLDER)}`,
          '    roles: [chat, edit, apply]',
          `  - name: ${yamlString(`${label} autocomplete`)}`,
          '    provider: openai',
          `    model: ${yamlString(model)}`,
          `    apiBase: ${yamlString(endpoint)}`,
          `    apiKey: ${yamlString(KEY_PLACEHOLDER)}`,
          '    roles: [autocomplete]',
          '',
        ].join('\n'),
      };
    case 'cursor':
      return {
        tool,
        title: 'Cursor',
        target: 'Cursor Settings → Models',
        format: 'text',
        endpoint,
        instructions: [
          'Open Cursor Settings → Models → API Keys.',
          `Paste a key of tenant ${tenant.slug} into "OpenAI API Key".`,
          `Enable "Override OpenAI Base URL" and enter ${endpoint}.`,
          `Add a custom model named "${model}" and select it.`,
        ],
        content: [
          `OpenAI API Key: ${KEY_PLACEHOLDER}`,
          `Override OpenAI Base URL: ${endpoint}`,
          `Model: ${model}`,
          '',
        ].join('\n'),
      };
    case 'claude-code': {
      const base = anthropicBaseUrl(origin, tenant);
      return {
        tool,
        title: 'Claude Code',
        target: 'shell profile (~/.bashrc, ~/.zshrc) or ~/.claude/settings.json "env"',
        format: 'shell',
        endpoint,
        instructions: [
          `Claude Code calls ${base}/v1/messages (the Anthropic Messages API, served by the gateway).`,
          'The key is sent as a Bearer token (ANTHROPIC_AUTH_TOKEN).',
          `Model "${model}" lets the gateway route each request; set a concrete model id to pin one.`,
        ],
        content: [
          `export ANTHROPIC_BASE_URL=${shellQuote(base)}`,
          `export ANTHROPIC_AUTH_TOKEN=${shellQuote(KEY_PLACEHOLDER)}`,
          `export ANTHROPIC_MODEL=${shellQuote(model)}`,
          `export ANTHROPIC_DEFAULT_HAIKU_MODEL=${shellQuote(model)}`,
          'claude',
          '',
        ].join('\n'),
      };
    }
    case 'opencode':
      return {
        tool,
        title: 'OpenCode',
        target: '~/.config/opencode/opencode.json',
        format: 'json',
        endpoint,
        instructions: [
          'Save as ~/.config/opencode/opencode.json (or merge the "provider" entry into yours).',
          `Replace ${KEY_PLACEHOLDER} with a key of tenant ${tenant.slug}.`,
        ],
        content:
          JSON.stringify(
            {
              $schema: 'https://opencode.ai/config.json',
              provider: {
                'model-prism': {
                  npm: '@ai-sdk/openai-compatible',
                  name: label,
                  options: { baseURL: endpoint, apiKey: KEY_PLACEHOLDER },
                  models: { [model]: { name: model === 'auto' ? 'Auto (routed by Model Prism)' : model } },
                },
              },
              model: `model-prism/${model}`,
            },
            null,
            2,
          ) + '\n',
      };
    case 'open-webui':
      return {
        tool,
        title: 'Open WebUI',
        target: 'Open WebUI environment (or Admin Settings → Connections → OpenAI API)',
        format: 'shell',
        endpoint,
        instructions: [
          'Set these variables on the Open WebUI container, or add the same URL and key under Admin Settings → Connections.',
          'The model list is read from the gateway (GET /models) and respects the tenant model access.',
        ],
        content: [
          `OPENAI_API_BASE_URL=${shellQuote(endpoint)}`,
          `OPENAI_API_KEY=${shellQuote(KEY_PLACEHOLDER)}`,
          '',
          '# docker run -d -p 3000:8080 \\',
          `#   -e OPENAI_API_BASE_URL=${shellQuote(endpoint)} \\`,
          `#   -e OPENAI_API_KEY=${shellQuote(KEY_PLACEHOLDER)} \\`,
          '#   ghcr.io/open-webui/open-webui:main',
          '',
        ].join('\n'),
      };
    case 'openai-python':
      return {
        tool,
        title: 'OpenAI Python SDK',
        target: 'your Python code (pip install openai)',
        format: 'python',
        endpoint,
        instructions: [`Replace ${KEY_PLACEHOLDER}, or read it from an environment variable.`],
        content: [
          'from openai import OpenAI',
          '',
          `client = OpenAI(base_url=${JSON.stringify(endpoint)}, api_key=${JSON.stringify(KEY_PLACEHOLDER)})`,
          '',
          'response = client.chat.completions.create(',
          `    model=${JSON.stringify(model)},`,
          '    messages=[{"role": "user", "content": "Hello!"}],',
          ')',
          'print(response.choices[0].message.content)',
          '',
        ].join('\n'),
      };
    case 'openai-node':
      return {
        tool,
        title: 'OpenAI Node.js SDK',
        target: 'your JavaScript/TypeScript code (npm install openai)',
        format: 'javascript',
        endpoint,
        instructions: [`Replace ${KEY_PLACEHOLDER}, or read it from an environment variable.`],
        content: [
          "import OpenAI from 'openai';",
          '',
          `const client = new OpenAI({ baseURL: ${quoteJs(endpoint)}, apiKey: ${quoteJs(KEY_PLACEHOLDER)} });`,
          '',
          'const response = await client.chat.completions.create({',
          `  model: ${quoteJs(model)},`,
          "  messages: [{ role: 'user', content: 'Hello!' }],",
          '});',
          'console.log(response.choices[0].message.content);',
          '',
        ].join('\n'),
      };
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function quoteJs(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
