/** Every route the mock serves, and the lookup (exact paths by map, parameterised ones by regex). */
import type { IncomingMessage } from 'node:http';

import { inspectMessages, respondMessages } from './anthropic';
import { AZURE_ROUTES } from './azure';
import { inspectConverse, inspectInvoke, respondConverse, respondInvoke } from './bedrock';
import { type MockContext, type RouteDef, send, sendJson } from './context';
import { inspectEmbeddings, respondEmbeddings } from './embeddings';
import type { ListBodies } from './lists';
import { ollamaShow } from './lists';
import { inspectChat, inspectCompletion, respondChat, respondCompletion } from './openai';
import { inspectResponses, respondResponses } from './responses';

const sendList =
  (key: keyof ListBodies) =>
  (ctx: MockContext): void =>
    send(ctx, { status: 200, headers: { 'content-type': 'application/json' }, body: ctx.state.lists[key] });

/** Anthropic clients always send `anthropic-version`; that tells its `/v1/models` from OpenAI's. */
const isAnthropic = (req: IncomingMessage): boolean => req.headers['anthropic-version'] !== undefined;

const OPENAI_ROUTES: RouteDef[] = [
  {
    method: 'GET',
    path: '/v1/models',
    dialect: 'anthropic',
    when: isAnthropic,
    respond: sendList('anthropicModels'),
  },
  { method: 'GET', path: '/v1/models', dialect: 'openai', respond: sendList('openaiModels') },
  {
    method: 'POST',
    path: '/v1/chat/completions',
    dialect: 'openai',
    inspect: (ctx) => inspectChat(ctx, 'openai'),
    respond: (ctx, a, info) => respondChat(ctx, a!, info!),
  },
  {
    method: 'POST',
    path: '/v1/completions',
    dialect: 'openai',
    inspect: (ctx) => inspectCompletion(ctx, 'openai'),
    respond: (ctx, a, info) => respondCompletion(ctx, a!, info!),
  },
  {
    method: 'POST',
    path: '/v1/embeddings',
    dialect: 'openai',
    inspect: (ctx) => inspectEmbeddings(ctx, 'openai'),
    respond: (ctx, _a, info) => respondEmbeddings(ctx, info!),
  },
  {
    method: 'POST',
    path: '/v1/responses',
    dialect: 'openai',
    inspect: (ctx) => inspectResponses(ctx, 'openai'),
    respond: (ctx, a, info) => respondResponses(ctx, a!, info!),
  },
];

const ANTHROPIC_ROUTES: RouteDef[] = [
  {
    method: 'POST',
    path: '/v1/messages',
    dialect: 'anthropic',
    inspect: inspectMessages,
    respond: (ctx, a, info) => respondMessages(ctx, a!, info!),
  },
  {
    method: 'POST',
    path: '/v1/messages/count_tokens',
    dialect: 'anthropic',
    respond: (ctx) => {
      const info = inspectMessages({ ...ctx, body: { max_tokens: 1, ...ctx.body } });
      if ('status' in info) send(ctx, info);
      else sendJson(ctx, 200, { input_tokens: info.promptTokens });
    },
  },
];

const OLLAMA_ROUTES: RouteDef[] = [
  { method: 'GET', path: '/api/tags', dialect: 'ollama', respond: sendList('ollamaTags') },
  {
    method: 'GET',
    path: '/api/version',
    dialect: 'ollama',
    respond: (ctx) => sendJson(ctx, 200, { version: '0.6.8' }),
  },
  {
    method: 'POST',
    path: '/api/show',
    dialect: 'ollama',
    respond: (ctx) => sendJson(ctx, 200, ollamaShow(String(ctx.body.model ?? ctx.body.name ?? 'unknown'))),
  },
];

const BEDROCK_ROUTES: RouteDef[] = [
  {
    method: 'POST',
    path: /^\/model\/([^/]+)\/converse$/,
    dialect: 'bedrock',
    inspect: (ctx) => inspectConverse(ctx, false),
    respond: (ctx, a, info) => respondConverse(ctx, a!, info!),
  },
  {
    method: 'POST',
    path: /^\/model\/([^/]+)\/converse-stream$/,
    dialect: 'bedrock',
    inspect: (ctx) => inspectConverse(ctx, true),
    respond: (ctx, a, info) => respondConverse(ctx, a!, info!),
  },
  {
    method: 'POST',
    path: /^\/model\/([^/]+)\/invoke$/,
    dialect: 'bedrock',
    inspect: inspectInvoke,
    respond: (ctx, _a, info) => respondInvoke(ctx, info!),
  },
  { method: 'GET', path: '/foundation-models', dialect: 'bedrock', respond: sendList('foundationModels') },
  { method: 'GET', path: '/inference-profiles', dialect: 'bedrock', respond: sendList('inferenceProfiles') },
];

const ALL_ROUTES = [
  ...OPENAI_ROUTES,
  ...ANTHROPIC_ROUTES,
  ...OLLAMA_ROUTES,
  ...BEDROCK_ROUTES,
  ...AZURE_ROUTES,
];

const exact = new Map<string, RouteDef[]>();
const patterned: RouteDef[] = [];
for (const def of ALL_ROUTES) {
  if (typeof def.path === 'string') {
    const key = `${def.method} ${def.path}`;
    exact.set(key, [...(exact.get(key) ?? []), def]);
  } else {
    patterned.push(def);
  }
}

export interface RouteMatch {
  def: RouteDef;
  params: string[];
}

const NO_PARAMS: string[] = [];

/** `/api/v1/...` (a base path some OpenAI-compatible servers use) is served like `/v1/...`. */
export function findRoute(req: IncomingMessage, method: string, path: string): RouteMatch | undefined {
  const normalised = path.startsWith('/api/v1/') ? path.slice(4) : path;
  const candidates = exact.get(`${method} ${normalised}`);
  if (candidates) {
    for (const def of candidates) if (!def.when || def.when(req)) return { def, params: NO_PARAMS };
  }
  for (const def of patterned) {
    if (def.method !== method) continue;
    const hit = (def.path as RegExp).exec(normalised);
    if (hit) return { def, params: hit.slice(1) };
  }
  return undefined;
}
