/**
 * An error a gateway stage raises with OpenAI's `type` and `code` (e.g. 401 `invalid_api_key`).
 * The global filter renders it in OpenAI shape (or Anthropic shape on `/v1/messages`).
 */
export class GatewayHttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly param?: string,
  ) {
    super(message);
    this.name = 'GatewayHttpError';
  }
}
