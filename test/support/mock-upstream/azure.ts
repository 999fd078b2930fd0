/** Azure OpenAI: deployment-scoped chat/completions/embeddings, deployment list, Responses API. */
import type { RequestInfo } from './answer';
import { type MockContext, type RouteDef, send } from './context';
import { inspectEmbeddings, respondEmbeddings } from './embeddings';
import type { HttpAnswer } from './errors';
import { inspectChat, inspectCompletion, respondChat, respondCompletion } from './openai';
import { inspectResponses, respondResponses } from './responses';

const MISSING_API_VERSION: HttpAnswer = {
  status: 400,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    error: {
      code: 'MissingApiVersionParameter',
      message: 'The api-version query parameter (?api-version=) is required for all requests.',
    },
  }),
};

/** Azure refuses data-plane calls without `?api-version=`. */
function withApiVersion(inspect: (ctx: MockContext) => RequestInfo | HttpAnswer) {
  return (ctx: MockContext): RequestInfo | HttpAnswer =>
    ctx.query['api-version'] ? inspect(ctx) : MISSING_API_VERSION;
}

const deploymentOf = (ctx: MockContext): string => decodeURIComponent(ctx.params[0] ?? '');

export const AZURE_ROUTES: RouteDef[] = [
  {
    method: 'GET',
    path: '/openai/deployments',
    dialect: 'azure',
    respond: (ctx) =>
      send(
        ctx,
        ctx.query['api-version']
          ? {
              status: 200,
              headers: { 'content-type': 'application/json' },
              body: ctx.state.lists.azureDeployments,
            }
          : MISSING_API_VERSION,
      ),
  },
  {
    method: 'POST',
    path: /^\/openai\/deployments\/([^/]+)\/chat\/completions$/,
    dialect: 'azure',
    inspect: withApiVersion((ctx) => inspectChat(ctx, 'azure', deploymentOf(ctx))),
    respond: (ctx, a, info) => respondChat(ctx, a!, info!),
  },
  {
    method: 'POST',
    path: /^\/openai\/deployments\/([^/]+)\/completions$/,
    dialect: 'azure',
    inspect: withApiVersion((ctx) => inspectCompletion(ctx, 'azure', deploymentOf(ctx))),
    respond: (ctx, a, info) => respondCompletion(ctx, a!, info!),
  },
  {
    method: 'POST',
    path: /^\/openai\/deployments\/([^/]+)\/embeddings$/,
    dialect: 'azure',
    inspect: withApiVersion((ctx) => inspectEmbeddings(ctx, 'azure', deploymentOf(ctx))),
    respond: (ctx, _a, info) => respondEmbeddings(ctx, info!),
  },
  {
    method: 'POST',
    path: '/openai/responses',
    dialect: 'azure',
    inspect: withApiVersion((ctx) => inspectResponses(ctx, 'azure')),
    respond: (ctx, a, info) => respondResponses(ctx, a!, info!),
  },
  {
    // The Azure "v1" API needs no api-version.
    method: 'POST',
    path: '/openai/v1/responses',
    dialect: 'azure',
    inspect: (ctx) => inspectResponses(ctx, 'azure'),
    respond: (ctx, a, info) => respondResponses(ctx, a!, info!),
  },
];
