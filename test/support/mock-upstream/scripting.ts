/** Scripted rules (first match wins, `times` consumed) and helpers to build replies. */
import type {
  AnswerReply,
  ContextOverflowReply,
  ErrorReply,
  HangReply,
  MockReply,
  MockRule,
  RateLimitReply,
  RawReply,
  RecordedRequest,
  ResetReply,
  ScriptedRule,
  StreamBehaviour,
  ToolCallSpec,
} from './types';

class StoredRule implements ScriptedRule {
  hits = 0;
  constructor(readonly rule: MockRule) {}

  get remaining(): number | undefined {
    return this.rule.times === undefined ? undefined : Math.max(0, this.rule.times - this.hits);
  }

  matches(req: RecordedRequest): boolean {
    const { method, path, model, match } = this.rule;
    if (this.remaining === 0) return false;
    if (method !== undefined && method.toUpperCase() !== req.method) return false;
    if (path !== undefined && !(typeof path === 'string' ? path === req.path : path.test(req.path)))
      return false;
    if (model !== undefined) {
      if (req.model === undefined) return false;
      if (!(typeof model === 'string' ? model === req.model : model.test(req.model))) return false;
    }
    return match === undefined || match(req);
  }
}

export class RuleStore {
  private rules: StoredRule[] = [];

  add(rule: MockRule): ScriptedRule {
    const stored = new StoredRule(rule);
    this.rules.push(stored);
    return stored;
  }

  clear(): void {
    this.rules = [];
  }

  /** The reply of the first rule matching the request, consuming one use of it. */
  take(req: RecordedRequest): MockReply | undefined {
    if (this.rules.length === 0) return undefined;
    for (const stored of this.rules) {
      if (stored.matches(req)) {
        stored.hits++;
        return stored.rule.reply;
      }
    }
    return undefined;
  }
}

type AnswerOptions = Omit<AnswerReply, 'kind' | 'text' | 'toolCalls'>;

/** Shorthands for the replies tests use most. */
export const replies = {
  json(status: number, body: unknown, headers?: Record<string, string>): RawReply {
    return { status, body, headers };
  },
  text(text: string, options: AnswerOptions = {}): AnswerReply {
    return { kind: 'answer', text, ...options };
  },
  toolCalls(toolCalls: ToolCallSpec[], options: AnswerOptions & { text?: string } = {}): AnswerReply {
    return { kind: 'answer', toolCalls, ...options };
  },
  /** A streamed answer with `chunkDelayMs` between chunks. */
  slowStream(chunkDelayMs: number, text?: string): AnswerReply {
    return { kind: 'answer', text, stream: { chunkDelayMs } };
  },
  /** A stream that breaks after `afterChunks` frames. */
  brokenStream(
    afterChunks: number,
    failWith: StreamBehaviour['failWith'] = 'reset',
    text?: string,
  ): AnswerReply {
    return { kind: 'answer', text, stream: { failAfterChunks: afterChunks, failWith } };
  },
  error(
    status: number,
    message?: string,
    extra: Omit<ErrorReply, 'kind' | 'status' | 'message'> = {},
  ): ErrorReply {
    return { kind: 'error', status, message, ...extra };
  },
  serverError(status = 500, message?: string): ErrorReply {
    return { kind: 'error', status, message };
  },
  rateLimit(retryAfter = 1, extra: Omit<RateLimitReply, 'kind' | 'retryAfter'> = {}): RateLimitReply {
    return { kind: 'rateLimit', retryAfter, ...extra };
  },
  contextOverflow(extra: Omit<ContextOverflowReply, 'kind'> = {}): ContextOverflowReply {
    return { kind: 'contextOverflow', ...extra };
  },
  reset(delayMs?: number): ResetReply {
    return { kind: 'reset', delayMs };
  },
  hang(): HangReply {
    return { kind: 'hang' };
  },
};
