/**
 * AWS event-stream binary framing (`application/vnd.amazon.eventstream`), encode side only:
 * prelude (total length, headers length, prelude CRC32), string headers, payload, message CRC32.
 * Written against the public format description and verified by decoding with the real AWS SDK
 * in the e2e test, so no extra dependency is needed.
 */
import { crc32 } from 'node:zlib';

const STRING_TYPE = 7;
const PRELUDE_BYTES = 12;
const CRC_BYTES = 4;

function encodeHeaders(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const valueBytes = Buffer.from(value, 'utf8');
    const header = Buffer.allocUnsafe(1 + nameBytes.length + 1 + 2 + valueBytes.length);
    let o = header.writeUInt8(nameBytes.length, 0);
    o += nameBytes.copy(header, o);
    o = header.writeUInt8(STRING_TYPE, o);
    o = header.writeUInt16BE(valueBytes.length, o);
    valueBytes.copy(header, o);
    parts.push(header);
  }
  return Buffer.concat(parts);
}

export function encodeMessage(headers: Record<string, string>, payload: Buffer): Buffer {
  const headerBytes = encodeHeaders(headers);
  const total = PRELUDE_BYTES + headerBytes.length + payload.length + CRC_BYTES;
  const out = Buffer.allocUnsafe(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(headerBytes.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  headerBytes.copy(out, PRELUDE_BYTES);
  payload.copy(out, PRELUDE_BYTES + headerBytes.length);
  out.writeUInt32BE(crc32(out.subarray(0, total - CRC_BYTES)), total - CRC_BYTES);
  return out;
}

/** An event of a stream union member (e.g. `contentBlockDelta`) with a JSON payload. */
export function encodeEvent(eventType: string, payload: unknown): Buffer {
  return encodeMessage(
    { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' },
    Buffer.from(JSON.stringify(payload), 'utf8'),
  );
}

/** A modelled in-stream exception (`exceptionType` is the union member, e.g. `throttlingException`). */
export function encodeException(exceptionType: string, message: string): Buffer {
  return encodeMessage(
    { ':exception-type': exceptionType, ':content-type': 'application/json', ':message-type': 'exception' },
    Buffer.from(JSON.stringify({ message }), 'utf8'),
  );
}

export const EVENT_STREAM_TYPE = 'application/vnd.amazon.eventstream';
