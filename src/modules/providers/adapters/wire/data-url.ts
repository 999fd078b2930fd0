import { TranslationError } from './translation.errors';

export interface DataUrl {
  mediaType: string;
  /** The base64 payload, unchanged. */
  data: string;
}

const DATA_URL = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+)((?:;[a-z0-9-]+=[^;,]*)*);base64,(.*)$/is;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function isDataUrl(url: string): boolean {
  return url.slice(0, 5).toLowerCase() === 'data:';
}

export function isHttpUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/** Parses a base64 `data:` URL; throws a 400 for anything else (percent-encoded data URLs included). */
export function parseDataUrl(url: string, param: string): DataUrl {
  const match = DATA_URL.exec(url);
  const data = match?.[3]?.replace(/\s+/g, '');
  if (!match?.[1] || data === undefined || data.length === 0 || !BASE64.test(data)) {
    throw new TranslationError('invalid_data_url', `${param} must be a base64 data URL`, param);
  }
  return { mediaType: match[1].toLowerCase(), data };
}

export function toDataUrl(mediaType: string, base64: string): string {
  return `data:${mediaType};base64,${base64}`;
}
