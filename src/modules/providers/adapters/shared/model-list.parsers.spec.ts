import {
  parseAzureDeployments,
  parseBedrockFoundationModels,
  parseOllamaTags,
  parseOpenAiModelList,
} from './model-list.parsers';

describe('model list parsers', () => {
  it('reads OpenAI, vLLM and OpenRouter lists including windows and per-token prices', () => {
    expect(parseOpenAiModelList({ object: 'list', data: [{ id: 'gpt-4o', owned_by: 'openai' }] })).toEqual([
      { modelId: 'gpt-4o', ownedBy: 'openai' },
    ]);
    expect(
      parseOpenAiModelList({ data: [{ id: 'meta/llama', max_model_len: 32768 }] })?.[0]?.contextWindow,
    ).toBe(32768);
    const [router] = parseOpenAiModelList({
      data: [
        {
          id: 'openai/gpt-4o',
          name: 'GPT-4o',
          context_length: 128000,
          top_provider: { max_completion_tokens: 16384 },
          pricing: { prompt: '0.0000025', completion: '0.00001' },
        },
      ],
    })!;
    expect(router).toMatchObject({
      name: 'GPT-4o',
      contextWindow: 128000,
      maxOutputTokens: 16384,
      pricing: { inputPer1M: 2.5, outputPer1M: 10, cachedInputPer1M: null },
    });
    expect(parseOpenAiModelList('<html>')).toBeUndefined();
    expect(parseOpenAiModelList({ models: [] })).toBeUndefined();
  });

  it('reads Ollama tags and marks embedding models', () => {
    const models = parseOllamaTags({
      models: [
        { name: 'llama3.1:8b', model: 'llama3.1:8b', details: { family: 'llama' } },
        {
          name: 'nomic-embed-text:latest',
          model: 'nomic-embed-text:latest',
          details: { family: 'nomic-bert' },
        },
      ],
    });
    expect(models?.map((m) => m.modelId)).toEqual(['llama3.1:8b', 'nomic-embed-text:latest']);
    expect(models?.[1]?.capabilities).toEqual({ embeddings: true });
  });

  it('reads Azure deployments with their base model and skips failed ones', () => {
    const models = parseAzureDeployments({
      data: [
        { id: 'prod-chat', model: 'gpt-4o', status: 'succeeded' },
        { id: 'broken', model: 'gpt-4o', status: 'failed' },
        { id: 'vectors', model: 'text-embedding-3-large' },
      ],
    });
    expect(models).toEqual([
      { modelId: 'prod-chat', name: 'prod-chat', baseModel: 'gpt-4o' },
      {
        modelId: 'vectors',
        name: 'vectors',
        baseModel: 'text-embedding-3-large',
        capabilities: { embeddings: true },
        apiType: 'embeddings',
      },
    ]);
  });

  it('keeps on-demand, active Bedrock text and embedding models only', () => {
    const models = parseBedrockFoundationModels({
      modelSummaries: [
        {
          modelId: 'amazon.nova-pro-v1:0',
          inputModalities: ['TEXT', 'IMAGE'],
          outputModalities: ['TEXT'],
          inferenceTypesSupported: ['ON_DEMAND'],
        },
        { modelId: 'prov.only', outputModalities: ['TEXT'], inferenceTypesSupported: ['PROVISIONED'] },
        { modelId: 'stability.sd', outputModalities: ['IMAGE'], inferenceTypesSupported: ['ON_DEMAND'] },
        { modelId: 'old.model', outputModalities: ['TEXT'], modelLifecycle: { status: 'LEGACY' } },
        {
          modelId: 'amazon.titan-embed-text-v2:0',
          outputModalities: ['EMBEDDING'],
          inferenceTypesSupported: ['ON_DEMAND'],
        },
      ],
    });
    expect(models?.map((m) => m.modelId)).toEqual(['amazon.nova-pro-v1:0', 'amazon.titan-embed-text-v2:0']);
    expect(models?.[0]?.capabilities).toEqual({ vision: true, embeddings: false });
  });
});
