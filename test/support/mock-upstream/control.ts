/**
 * `/__mock/*` endpoints, for a mock running in another process (CLI, benchmark):
 * `GET /__mock/requests`, `POST /__mock/reset`, `POST /__mock/script` (a rule as JSON; `path` and
 * `model` may be `{ "regex": "..." }`), `GET /__mock/health`.
 */
import { type MockContext, sendJson } from './context';
import type { Recorder } from './recorder';
import type { RuleStore } from './scripting';
import type { MockReply, MockRule } from './types';

type Matcher = string | { regex: string } | undefined;

function toMatcher(value: Matcher): string | RegExp | undefined {
  if (value === undefined || typeof value === 'string') return value;
  return new RegExp(value.regex);
}

export function controlHandler(rules: RuleStore, recorder: Recorder, reset: () => void) {
  return (ctx: MockContext): void => {
    const route = `${ctx.record.method} ${ctx.record.path}`;
    switch (route) {
      case 'GET /__mock/health':
        sendJson(ctx, 200, { ok: true });
        return;
      case 'GET /__mock/requests':
        sendJson(ctx, 200, recorder.list);
        return;
      case 'POST /__mock/reset':
        reset();
        sendJson(ctx, 200, { ok: true });
        return;
      case 'POST /__mock/script': {
        const b = ctx.body as {
          method?: string;
          path?: Matcher;
          model?: Matcher;
          times?: number;
          reply?: MockReply;
        };
        if (!b.reply || typeof b.reply !== 'object') {
          sendJson(ctx, 400, { error: { message: 'reply is required', type: 'invalid_request_error' } });
          return;
        }
        try {
          const rule: MockRule = {
            method: b.method,
            path: toMatcher(b.path),
            model: toMatcher(b.model),
            times: b.times,
            reply: b.reply,
          };
          rules.add(rule);
        } catch (error) {
          sendJson(ctx, 400, { error: { message: String(error), type: 'invalid_request_error' } });
          return;
        }
        sendJson(ctx, 201, { ok: true });
        return;
      }
      default:
        sendJson(ctx, 404, {
          error: { message: `unknown control route ${route}`, type: 'invalid_request_error' },
        });
    }
  };
}
