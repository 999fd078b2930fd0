import { chatContext } from '../testing/gateway-fixtures';
import type { GatewayContext, GatewayEndpoint } from './gateway-context';
import { type GatewayStage, StageRunner } from './gateway-stage';

function stage(
  name: string,
  ran: string[],
  options: { endpoints?: readonly GatewayEndpoint[]; async?: boolean } = {},
): GatewayStage {
  return {
    name,
    endpoints: options.endpoints,
    run: (ctx: GatewayContext) => {
      ran.push(`${name}:${ctx.endpoint}`);
      return options.async ? Promise.resolve() : undefined;
    },
  };
}

describe('StageRunner', () => {
  it("runs the stages of the request's endpoint in order, synchronously until one returns a promise", async () => {
    const ran: string[] = [];
    const observed: string[] = [];
    const runner = new StageRunner(
      [
        stage('a', ran),
        stage('chat-only', ran, { endpoints: ['chat'] }),
        stage('slow', ran, { async: true }),
        stage('completions-only', ran, { endpoints: ['completions'] }),
        stage('z', ran),
      ],
      { labels: ({ stage: name }) => ({ observe: (seconds) => observed.push(`${name}:${seconds >= 0}`) }) },
    );

    const chat = runner.run(chatContext({ model: 'm' }));
    expect(chat).toBeInstanceOf(Promise);
    expect(ran).toEqual(['a:chat', 'chat-only:chat', 'slow:chat']);
    await chat;
    expect(ran).toEqual(['a:chat', 'chat-only:chat', 'slow:chat', 'z:chat']);
    expect(observed).toEqual(['a:true', 'chat-only:true', 'slow:true', 'z:true']);

    ran.length = 0;
    await runner.run(chatContext({ model: 'm' }, { endpoint: 'completions' }));
    expect(ran).toEqual([
      'a:completions',
      'slow:completions',
      'completions-only:completions',
      'z:completions',
    ]);

    ran.length = 0;
    const sync = new StageRunner([stage('a', ran), stage('b', ran, { endpoints: ['embeddings'] })]);
    expect(sync.run(chatContext({ model: 'm' }))).toBeUndefined();
    expect(ran).toEqual(['a:chat']);
  });
});
