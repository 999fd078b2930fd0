import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

import type { GatewayHttpError } from '../../../core/http/gateway-http.error';
import { ClientAbortedError } from '../dispatch/resilient-dispatcher';
import type { GatewayHttpReply } from '../gateway-http';
import type { GatewayIngress } from '../ingress/gateway-ingress';

/**
 * Writes a 200 JSON answer straight to the socket. Fastify's send path (serializer lookup, onSend
 * hook chain, header bookkeeping) cost more CPU per request than all gateway stages together; the
 * onResponse hooks (HTTP metrics) still run when the response finishes. Headers that hooks put on
 * the reply (CORS) are kept.
 */
export function sendJson(reply: GatewayHttpReply, headers: Record<string, string>, payload: unknown): void {
  sendJsonText(reply, headers, JSON.stringify(payload));
}

/** {@link sendJson} for an answer that is JSON already (an upstream's answer with members appended). */
export function sendJsonText(
  reply: GatewayHttpReply,
  headers: Record<string, string>,
  text: string | Buffer,
): void {
  reply.hijack();
  const hooked = reply.getHeaders();
  const out: OutgoingHttpHeaders = headers;
  for (const name in hooked) if (out[name] === undefined) out[name] = hooked[name];
  out['content-type'] = 'application/json; charset=utf-8';
  out['content-length'] = Buffer.byteLength(text);
  reply.raw.writeHead(200, out);
  reply.raw.end(text);
}

/** An error answer in the client's protocol (the ingress's shape). */
export function sendError(
  reply: GatewayHttpReply,
  ingress: GatewayIngress,
  error: GatewayHttpError,
  headers: Record<string, string> = error.headers,
): void {
  const { status, body } = ingress.errorResponse(error);
  void reply.code(status).headers(headers).send(body);
}

/** Writes with back-pressure: waits for `drain` when the socket buffer is full. */
export function write(
  raw: ServerResponse,
  text: string,
  signal: { readonly aborted: boolean },
): Promise<void> | void {
  if (raw.write(text)) return;
  return new Promise((resolve, reject) => {
    const done = (): void => {
      raw.off('drain', done);
      raw.off('close', closed);
      resolve();
    };
    const closed = (): void => {
      raw.off('drain', done);
      reject(new ClientAbortedError());
    };
    if (signal.aborted) {
      reject(new ClientAbortedError());
      return;
    }
    raw.once('drain', done);
    raw.once('close', closed);
  });
}
