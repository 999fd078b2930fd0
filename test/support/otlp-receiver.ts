import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An OTLP/JSON attribute (`{key, value: {stringValue|intValue|doubleValue|boolValue}}`). */
export interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: number | string; doubleValue?: number; boolValue?: boolean };
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: OtlpAttribute[];
  events?: { name: string; timeUnixNano: string | number; attributes?: OtlpAttribute[] }[];
  status?: { code?: number; message?: string };
}

export interface OtlpDataPoint {
  attributes?: OtlpAttribute[];
  asDouble?: number;
  asInt?: number | string;
  count?: number | string;
  sum?: number;
}

export interface OtlpMetric {
  name: string;
  unit?: string;
  sum?: { dataPoints: OtlpDataPoint[] };
  histogram?: { dataPoints: OtlpDataPoint[] };
}

/** Spans and metrics as the exporters sent them, with the resource attributes of each. */
export interface OtlpReceiver {
  url: string;
  spans: (OtlpSpan & { resource: Record<string, unknown> })[];
  metrics: (OtlpMetric & { resource: Record<string, unknown> })[];
  /** Content types the exporters used (the JSON encoding is `application/json`). */
  contentTypes: Set<string>;
  close(): Promise<void>;
}

/**
 * A local OTLP/HTTP receiver (what an OpenTelemetry Collector's `otlphttp` receiver accepts), for
 * the JSON encoding: `POST /v1/traces` and `POST /v1/metrics`, answered 200 `{}`.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const receiver: Omit<OtlpReceiver, 'url' | 'close'> = {
    spans: [],
    metrics: [],
    contentTypes: new Set(),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      receiver.contentTypes.add(String(req.headers['content-type']));
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      if (req.url === '/v1/traces') collectSpans(body, receiver.spans);
      else if (req.url === '/v1/metrics') collectMetrics(body, receiver.metrics);
      else {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...receiver,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type ResourceBlock = { resource?: { attributes?: OtlpAttribute[] } };

function collectSpans(body: Record<string, unknown>, into: OtlpReceiver['spans']): void {
  for (const block of (body.resourceSpans ?? []) as (ResourceBlock & {
    scopeSpans?: { spans?: OtlpSpan[] }[];
  })[]) {
    const resource = attributesOf(block.resource?.attributes);
    for (const scope of block.scopeSpans ?? [])
      for (const span of scope.spans ?? []) into.push({ ...span, resource });
  }
}

function collectMetrics(body: Record<string, unknown>, into: OtlpReceiver['metrics']): void {
  for (const block of (body.resourceMetrics ?? []) as (ResourceBlock & {
    scopeMetrics?: { metrics?: OtlpMetric[] }[];
  })[]) {
    const resource = attributesOf(block.resource?.attributes);
    for (const scope of block.scopeMetrics ?? [])
      for (const metric of scope.metrics ?? []) into.push({ ...metric, resource });
  }
}

/** OTLP attributes as a plain object (numbers for int/double values). */
export function attributesOf(attributes: OtlpAttribute[] | undefined): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const { key, value } of attributes ?? []) {
    result[key] =
      value.stringValue ??
      (value.intValue !== undefined ? Number(value.intValue) : undefined) ??
      value.doubleValue ??
      value.boolValue;
  }
  return result;
}
