import type { AddressInfo } from 'node:net';

import type { MockState } from './context';
import { controlHandler } from './control';
import { createDualServer } from './listener';
import { buildLists, DEFAULT_BEDROCK_MODELS, DEFAULT_DEPLOYMENTS, DEFAULT_MODELS } from './lists';
import { handleRequest } from './pipeline';
import { Recorder } from './recorder';
import { RuleStore } from './scripting';
import type { MockRule, MockUpstream, MockUpstreamOptions, ScriptedRule } from './types';

const DEFAULT_WAIT_MS = 5000;

/** Starts the mock upstream LLM server on 127.0.0.1 (a free port unless `port` is given). */
export async function startMockUpstream(options: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const models = options.models ?? DEFAULT_MODELS;
  const deployments = options.deployments ?? DEFAULT_DEPLOYMENTS;
  const bedrockModels = options.bedrockModels ?? DEFAULT_BEDROCK_MODELS;
  const state: MockState = {
    options: {
      requireKey: options.requireKey,
      models,
      deployments,
      bedrockModels,
      embeddingDimensions: options.embeddingDimensions ?? 64,
      recordLimit: options.recordLimit ?? 10_000,
    },
    cachedPrefixes: new Set(),
    lists: buildLists(models, deployments, bedrockModels),
    created: Math.floor(Date.now() / 1000),
  };
  const rules = new RuleStore();
  const recorder = new Recorder(state.options.recordLimit);
  let closing = false;
  const reset = (): void => {
    rules.clear();
    recorder.clear();
    state.cachedPrefixes.clear();
  };
  const deps = {
    state,
    rules,
    recorder,
    control: controlHandler(rules, recorder, reset),
    isClosing: () => closing,
  };

  const server = createDualServer((req, res) => {
    handleRequest(deps, req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ error: { message: `mock upstream bug: ${String(error)}`, type: 'server_error' } }),
        );
      }
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.tcp.once('error', reject);
    server.tcp.listen(options.port ?? 0, host, () => {
      server.tcp.off('error', reject);
      resolve();
    });
  });
  const { port } = server.tcp.address() as AddressInfo;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    get requests() {
      return recorder.list;
    },
    script(rule: MockRule): ScriptedRule {
      return rules.add(rule);
    },
    reset,
    async waitForRequests(n, timeoutMs = DEFAULT_WAIT_MS) {
      await recorder.waitFor(
        () => recorder.list.length >= n,
        timeoutMs,
        () =>
          `${n} requests, got ${recorder.list.length}: ${recorder.list.map((r) => `${r.method} ${r.path}`).join(', ')}`,
      );
      return recorder.list.slice();
    },
    waitFor(predicate, timeoutMs = DEFAULT_WAIT_MS) {
      return recorder.waitFor(predicate, timeoutMs, () => 'the condition');
    },
    async close() {
      closing = true;
      recorder.rejectAll('closed');
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.tcp.close(() => resolve()));
    },
  };
}
