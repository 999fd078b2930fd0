import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

/** What the gateway reads from an inbound request: a FastifyRequest, or the lean data plane's. */
export interface GatewayHttpRequest {
  readonly id: string;
  readonly headers: IncomingHttpHeaders;
  /** The client address (X-Forwarded-For aware, as Fastify's `trustProxy: true`). */
  readonly ip: string;
  /** The client's connection (FastifyRequest's `socket`, the IncomingMessage's socket). */
  readonly socket?: object;
  readonly body: unknown;
  /** The bytes `body` was parsed from (lean data plane), forwarded as they are when nothing changes. */
  readonly rawBody?: Buffer;
}

/** The part of FastifyReply the gateway uses; the lean data plane implements it over the raw response. */
export interface GatewayHttpReply {
  readonly raw: ServerResponse;
  readonly sent: boolean;
  hijack(): unknown;
  getHeaders(): Record<string, number | string | string[] | undefined>;
  code(statusCode: number): GatewayHttpReply;
  headers(values: Record<string, string>): GatewayHttpReply;
  send(payload: unknown): GatewayHttpReply;
}
