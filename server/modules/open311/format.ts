import type { FastifyReply } from 'fastify';
import { XMLBuilder } from 'fast-xml-parser';
import type { Format } from './schemas';

/** GeoReport v2 "Format Support": UTF-8 everywhere, with these content types. */
export const CONTENT_TYPES: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/** Our communities are in China: times are written in China Standard Time (UTC+8, no daylight saving). */
const OFFSET_MINUTES = 8 * 60;
const OFFSET = '+08:00';

/** A W3C datetime (the spec's "w3 format") with its offset, e.g. 2026-11-23T09:00:00+08:00. */
export function w3cDateTime(date: Date): string {
  return `${new Date(date.getTime() + OFFSET_MINUTES * 60_000).toISOString().slice(0, 19)}${OFFSET}`;
}

const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Reads a start_date/end_date: a W3C datetime that names its time zone (the spec requires one). An
 * unencoded `+` in a query string arrives as a space, so ` 08:00` is read as `+08:00`. Null when invalid,
 * including impossible dates such as February 30th, which `Date` would silently roll over.
 */
export function parseW3cDateTime(value: string): Date | null {
  const text = value.trim().replace(/ (\d{2}:\d{2})$/, '+$1');
  const match = W3C_DATETIME.exec(text);
  if (!match) return null;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return null;
  const offset =
    match[3] === 'Z' ? 0 : (Number(match[4]) * 60 + Number(match[5])) * (match[3]!.startsWith('-') ? -1 : 1);
  const asWritten = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 16);
  return asWritten === text.slice(0, 16) ? date : null;
}

/** The element each container holds, by the container's name (the spec's ⇊ and ↴ in its field tables). */
const ITEM: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  endpoints: 'endpoint',
  formats: 'format',
  jurisdictions: 'jurisdiction',
};

/** Characters XML 1.0 cannot carry at all; dropped so every document stays well-formed. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

const builder = new XMLBuilder({
  format: true,
  tagValueProcessor: (_name: string, value: unknown) =>
    typeof value === 'string' ? value.replace(NOT_XML, '') : value,
});

/** The Spark convention backwards: arrays become containers of their repeated element, null an empty element. */
function xmlTree(value: unknown, name: string): unknown {
  if (Array.isArray(value)) {
    const item = ITEM[name]!;
    return value.length === 0 ? '' : { [item]: value.map((v) => xmlTree(v, item)) };
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, xmlTree(v, key)]));
  }
  return value;
}

/** The XML document for `content` under `root`, with the declaration the spec requires. */
export function xmlDocument(root: string, content: unknown): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [root]: xmlTree(content, root) })}`;
}

/** Sends a GeoReport document: JSON is the content itself; XML wraps it in `root`. */
export function sendDocument(reply: FastifyReply, format: Format, root: string, content: object) {
  return reply.type(CONTENT_TYPES[format]).send(format === 'json' ? content : xmlDocument(root, content));
}

/** The format a failed request asked for: its `.json`/`.xml` suffix, else XML (the one format the spec requires). */
export function formatOfUrl(url: string): Format {
  return url.split('?')[0]!.endsWith('.json') ? 'json' : 'xml';
}

/**
 * A POST body as application/x-www-form-urlencoded (UTF-8). A field sent twice becomes an array, which
 * the route's schema then refuses rather than silently picking one.
 */
export function formFields(body: string): Record<string, string | string[]> {
  // A Map, not an object: a field named `__proto__` or `constructor` must not reach (or read) Object.prototype.
  const fields = new Map<string, string | string[]>();
  for (const [key, value] of new URLSearchParams(body)) {
    const seen = fields.get(key);
    fields.set(key, seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value]);
  }
  return Object.fromEntries(fields);
}
