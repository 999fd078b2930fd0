import { SseProcessor } from '../streaming/sse-processor';
import { OPENAI_INGRESS, OPENAI_ROUTES } from './openai.ingress';

describe('OPENAI_INGRESS', () => {
  it('runs the pipeline on the client body itself (no copy, so the raw bytes can be forwarded)', () => {
    const raw = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
    const prepared = OPENAI_INGRESS.prepare(raw, 'chat');
    expect(prepared.body).toBe(raw);
    expect(prepared.error).toBeUndefined();
  });

  it('keeps what it could read and reports the 400 of an invalid body for after the access stages', () => {
    const raw = { model: 'm', prompt: 3 };
    const prepared = OPENAI_INGRESS.prepare(raw, 'completions');
    expect(prepared.body).toBe(raw);
    expect(prepared.error).toMatchObject({ status: 400, code: 'invalid_request', param: 'prompt' });
    expect(OPENAI_INGRESS.prepare('text', 'chat')).toMatchObject({ body: {}, error: { status: 400 } });
  });

  it('passes answers and streams through and renders errors in OpenAI shape', () => {
    const body = { id: 'x' };
    expect(OPENAI_INGRESS.renderJson(body, { input: 1, output: 1 })).toBe(body);
    const sse = new SseProcessor({ clientWantsUsage: false });
    expect(OPENAI_INGRESS.wrapStream(sse, {} as never)).toBe(sse);
    const { error } = OPENAI_INGRESS.prepare({}, 'embeddings');
    expect(OPENAI_INGRESS.errorResponse(error!)).toEqual({
      status: 400,
      body: {
        error: {
          message: expect.any(String),
          type: 'invalid_request_error',
          code: 'invalid_request',
          param: 'model',
        },
      },
    });
    expect(OPENAI_INGRESS.streamError('boom')).toContain('"code":"stream_interrupted"');
  });

  it('maps each POST path to its pipeline endpoint', () => {
    expect([...OPENAI_ROUTES].map(([path, route]) => [path, route.endpoint])).toEqual([
      ['/chat/completions', 'chat'],
      ['/completions', 'completions'],
      ['/embeddings', 'embeddings'],
    ]);
  });
});
