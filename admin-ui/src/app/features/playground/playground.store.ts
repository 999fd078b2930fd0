import {
  HttpClient,
  HttpErrorResponse,
  type HttpEvent,
  HttpEventType,
  HttpResponse,
} from '@angular/common/http';
import { inject, Injectable, signal } from '@angular/core';
import { type Subscription } from 'rxjs';

import { Api } from '../../api/api';
import { ApiConfiguration } from '../../api/api-configuration';
import { playgroundChat } from '../../api/fn/playground/playground-chat';
import { playgroundTenants } from '../../api/fn/playground/playground-tenants';
import { type PlaygroundChatDto } from '../../api/models/playground-chat-dto';
import { type PlaygroundRoutingDto } from '../../api/models/playground-routing-dto';
import { type PlaygroundSummaryDto } from '../../api/models/playground-summary-dto';
import { type PlaygroundTenantDto } from '../../api/models/playground-tenant-dto';
import { RequestBuilder } from '../../api/request-builder';
import { type ApiProblem, toApiProblem } from '../../core/http/api-problem';
import { AsyncTask } from '../../core/state/async-task';
import { type SseEvent, SseReader } from './sse-reader';

/** What is shown under an answer: who served it, why, what it cost and how long it took. */
export interface TurnMeta {
  requestId: string | null;
  model: string | null;
  provider: string | null;
  routing: PlaygroundRoutingDto | null;
  costUsd: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  /** Measured in the browser: to the first text, and to the end of the answer. */
  ttftMs: number | null;
  totalMs: number | null;
  attempts: number;
}

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
  streaming?: boolean;
  meta?: TurnMeta;
  problem?: ApiProblem;
}

export interface ChatSettings {
  tenantId: string;
  model: string;
  systemPrompt: string;
  temperature: number | null;
  maxTokens: number | null;
}

interface StreamChunk {
  choices?: { delta?: { content?: string | null } }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
  cost_info?: { cost_usd?: number };
  error?: { message?: string };
}

function newSessionId(): string {
  return `playground-${crypto.randomUUID()}`;
}

/**
 * The playground's conversation. Turns go through the generated client's request (path, body,
 * CSRF header and session handling of the interceptor); the answer is read as it streams, through
 * Angular's download progress, which the promise-based generated functions cannot report.
 */
@Injectable()
export class PlaygroundStore {
  private readonly api = inject(Api);
  private readonly http = inject(HttpClient);
  private readonly config = inject(ApiConfiguration);
  private subscription: Subscription | undefined;

  readonly tenants$ = new AsyncTask();
  readonly tenants = signal<PlaygroundTenantDto[]>([]);
  readonly turns = signal<ChatTurn[]>([]);
  readonly streaming = signal(false);
  /** Groups this conversation's requests in the request log. */
  readonly sessionId = signal(newSessionId());

  async loadTenants(): Promise<void> {
    const result = await this.tenants$.run(() => this.api.invoke(playgroundTenants));
    if (result.ok) this.tenants.set(result.value.items);
  }

  send(settings: ChatSettings, text: string): void {
    if (this.streaming()) return;
    const history = this.turns()
      .filter((t) => !t.problem && t.content !== '')
      .map((t) => ({ role: t.role, content: t.content }));
    this.turns.update((turns) => [
      ...turns,
      { role: 'user', content: text },
      { role: 'assistant', content: '', streaming: true },
    ]);
    const body: PlaygroundChatDto = {
      tenantId: settings.tenantId,
      model: settings.model,
      messages: [...history, { role: 'user', content: text }],
      stream: true,
      sessionId: this.sessionId(),
      ...(settings.systemPrompt.trim() ? { systemPrompt: settings.systemPrompt.trim() } : {}),
      ...(settings.temperature !== null ? { temperature: settings.temperature } : {}),
      ...(settings.maxTokens !== null ? { maxTokens: settings.maxTokens } : {}),
    };
    const builder = new RequestBuilder(this.config.rootUrl, playgroundChat.PATH, 'post');
    builder.body(body, 'application/json');
    const request = builder.build({
      responseType: 'text',
      accept: 'text/event-stream',
      reportProgress: true,
    });

    const started = performance.now();
    const reader = new SseReader();
    const meta: TurnMeta = {
      requestId: null,
      model: null,
      provider: null,
      routing: null,
      costUsd: null,
      inputTokens: null,
      outputTokens: null,
      ttftMs: null,
      totalMs: null,
      attempts: 0,
    };
    this.streaming.set(true);
    this.subscription = this.http.request(request).subscribe({
      next: (event: HttpEvent<unknown>) => {
        if (event.type === HttpEventType.ResponseHeader) {
          meta.requestId = event.headers.get('x-request-id');
          meta.model = event.headers.get('x-prism-model');
          meta.provider = event.headers.get('x-prism-provider');
        } else if (event.type === HttpEventType.DownloadProgress && event.partialText !== undefined) {
          this.consume(reader.feed(event.partialText), meta, started);
        } else if (event instanceof HttpResponse) {
          this.consume(reader.feed(typeof event.body === 'string' ? event.body : ''), meta, started);
        }
      },
      error: (error: unknown) => {
        this.finish(meta, started, toApiProblem(withParsedBody(error)));
      },
      complete: () => {
        this.finish(meta, started);
      },
    });
  }

  /** Stops the answer being streamed (the server aborts the upstream call). */
  stop(): void {
    if (!this.subscription) return;
    this.subscription.unsubscribe();
    this.subscription = undefined;
    this.updateLast((turn) => ({ ...turn, streaming: false, content: turn.content || '(stopped)' }));
    this.streaming.set(false);
  }

  /** A new conversation (and a new session id in the request log). */
  reset(): void {
    this.stop();
    this.turns.set([]);
    this.sessionId.set(newSessionId());
  }

  private consume(events: SseEvent[], meta: TurnMeta, started: number): void {
    let added = '';
    let problem: ApiProblem | undefined;
    for (const event of events) {
      if (event.data === '[DONE]') continue;
      if (event.event === 'prism') {
        const summary = JSON.parse(event.data) as PlaygroundSummaryDto;
        meta.requestId = summary.requestId;
        meta.model = summary.model ?? meta.model;
        meta.provider = summary.provider ?? meta.provider;
        meta.routing = summary.routing;
        meta.attempts = summary.attempts.length;
        continue;
      }
      const chunk = JSON.parse(event.data) as StreamChunk;
      if (chunk.error) {
        problem = { status: 502, message: chunk.error.message ?? 'The answer broke off.', fieldErrors: {} };
        continue;
      }
      const text = chunk.choices?.[0]?.delta?.content;
      if (text) added += text;
      if (chunk.usage) {
        meta.inputTokens = chunk.usage.prompt_tokens ?? null;
        meta.outputTokens = chunk.usage.completion_tokens ?? null;
      }
      if (chunk.cost_info?.cost_usd !== undefined) meta.costUsd = chunk.cost_info.cost_usd;
    }
    if (added && meta.ttftMs === null) meta.ttftMs = performance.now() - started;
    if (added || problem)
      this.updateLast((turn) => ({
        ...turn,
        content: turn.content + added,
        ...(problem ? { problem } : {}),
      }));
  }

  private finish(meta: TurnMeta, started: number, problem?: ApiProblem): void {
    this.subscription = undefined;
    meta.totalMs = performance.now() - started;
    this.updateLast((turn) => ({
      ...turn,
      streaming: false,
      meta: { ...meta },
      ...(problem ? { problem } : {}),
    }));
    this.streaming.set(false);
  }

  private updateLast(change: (turn: ChatTurn) => ChatTurn): void {
    this.turns.update((turns) => {
      const last = turns.at(-1);
      return last ? [...turns.slice(0, -1), change(last)] : turns;
    });
  }
}

/** A text response's error body is a JSON string; parse it so the admin error shape is read. */
function withParsedBody(error: unknown): unknown {
  if (!(error instanceof HttpErrorResponse) || typeof error.error !== 'string') return error;
  try {
    return new HttpErrorResponse({
      error: JSON.parse(error.error) as unknown,
      headers: error.headers,
      status: error.status,
      ...(error.url ? { url: error.url } : {}),
    });
  } catch {
    return error;
  }
}
