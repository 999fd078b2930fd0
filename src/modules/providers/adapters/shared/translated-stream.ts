import { StringDecoder } from 'node:string_decoder';

import { statusForOpenAIErrorType } from '../anthropic/translate/anthropic-errors';
import { type UpstreamError, type UpstreamStream } from '../provider-adapter';
import { errorFromStatus, errorFromTransport } from '../upstream-errors';
import { isOpenAIErrorBody, type OpenAIErrorBody, type OpenAIStreamItem } from '../wire/openai.types';

/** One server-sent event: its `event:` name (if any) and joined `data:` lines. */
export interface SseEvent {
  event?: string;
  data: string;
}

/** Splits an SSE byte stream into events (LF or CRLF line ends; comments and empty events skipped). */
export async function* parseSse(source: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of source) {
    let text = decoder.write(Buffer.from(chunk));
    if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
    pending += text;
    let end = pending.indexOf('\n\n');
    while (end >= 0) {
      const event = parseEvent(pending.slice(0, end));
      pending = pending.slice(end + 2);
      if (event) yield event;
      end = pending.indexOf('\n\n');
    }
  }
  const rest = (pending + decoder.end()).trim();
  const last = rest ? parseEvent(rest) : undefined;
  if (last) yield last;
}

function parseEvent(block: string): SseEvent | undefined {
  let name: string | undefined;
  let data: string | undefined;
  for (const line of block.split('\n')) {
    if (line.startsWith('data:')) {
      const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
      data = data === undefined ? value : `${data}\n${value}`;
    } else if (line.startsWith('event:')) {
      name = line.slice(6).trim();
    }
  }
  return data === undefined ? undefined : { event: name, data };
}

/** Parses each event's data as JSON; events whose data is not JSON (e.g. `[DONE]`) are skipped. */
export async function* jsonEvents<T>(events: AsyncIterable<SseEvent>): AsyncGenerator<T> {
  for await (const { data } of events) {
    if (data === '[DONE]') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      continue;
    }
    if (parsed && typeof parsed === 'object') yield parsed as T;
  }
}

/** A translator from upstream events to OpenAI chunks (see the adapters' `translate/` folders). */
export interface StreamTranslator<E> {
  push(event: E): OpenAIStreamItem[];
  end(): OpenAIStreamItem[];
}

const DONE = Buffer.from('data: [DONE]\n\n');

function encode(items: readonly OpenAIStreamItem[]): Buffer {
  let text = '';
  for (const item of items) text += `data: ${JSON.stringify(item)}\n\n`;
  return Buffer.from(text);
}

/** An OpenAI error item emitted by a translator → UpstreamError (context overflow, 429, 5xx…). */
export function errorFromStreamItem(item: OpenAIErrorBody, providerSlug: string): UpstreamError {
  const status =
    item.error.code === 'context_length_exceeded' ? 400 : statusForOpenAIErrorType(item.error.type);
  return errorFromStatus(status, item, {}, providerSlug);
}

/**
 * Turns an upstream event stream into the OpenAI SSE bytes of an {@link UpstreamStream}. Events are
 * read until the translator produces its first output, so a failure before anything could reach the
 * client (an error event first, a stream that ends empty, a reset) is thrown as an UpstreamError and
 * the dispatcher may still retry elsewhere. Later errors are written as OpenAI error events.
 */
export async function translatedStream<E>(params: {
  providerSlug: string;
  events: AsyncIterable<E>;
  translator: StreamTranslator<E>;
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  abort: () => void;
  signal?: AbortSignal;
}): Promise<UpstreamStream> {
  const { providerSlug, translator, abort, signal } = params;
  const iterator = params.events[Symbol.asyncIterator]();
  let ended = false;
  const pull = async (): Promise<OpenAIStreamItem[]> => {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      return translator.end();
    }
    return translator.push(next.value);
  };
  let first: OpenAIStreamItem[] = [];
  try {
    while (first.length === 0 && !ended) first = await pull();
  } catch (error) {
    const failure = errorFromTransport(error, providerSlug, signal);
    abort();
    throw failure;
  }
  const failure = first.find(isOpenAIErrorBody);
  if (failure && first.indexOf(failure) === 0) {
    abort();
    throw errorFromStreamItem(failure, providerSlug);
  }
  async function* body(): AsyncGenerator<Uint8Array> {
    try {
      let items = first;
      for (;;) {
        if (items.length > 0) yield encode(items);
        // After an error event the translator emits nothing more: stop reading the upstream.
        if (ended || items.some(isOpenAIErrorBody)) break;
        items = await pull();
      }
      yield DONE;
    } catch (error) {
      throw errorFromTransport(error, providerSlug, signal);
    } finally {
      if (!ended) abort();
    }
  }
  return { status: params.status, headers: params.headers, body: body(), abort };
}
