/**
 * Values for the schema-driven fuzz suite: a plausible value for a JSON schema of the OpenAPI document (so the
 * request reaches the handler), and the hostile variants of bodies, queries, cursors and path parameters.
 * Bodies are JSON text, not objects, so they can carry what a JS object literal cannot (`"__proto__"` as an own
 * key, duplicate keys, 5000 levels of nesting).
 */

export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  patternProperties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
}

export type Rng = () => number;

export const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
const between = (rng: Rng, low: number, high: number) => low + Math.floor(rng() * (high - low + 1));

/** Where the values come from: real ids by the field or parameter name, and names worth knowing. */
export interface Source {
  /** A real id for a field of this name (own community mostly, sometimes another's or another kind's). */
  id(name: string): string;
  /** A plausible string for a field of this name, or undefined to make one up from the schema. */
  text(name: string): string | undefined;
}

const ID_PATTERN = '^[0-9a-fA-F]{24}$';
const PLAUSIBLE_BY_PATTERN: Record<string, string> = {
  '^[\\w-]+$': 'fuzz-key-12345',
  '^[a-z_]{2,20}$': 'sanitation',
  '^[^/]+$': '新楼',
  '^https?://\\S+$': 'https://example.com/photo.jpg',
};

/** A value the schema accepts, as far as this generator knows it (enough for most requests to reach a handler). */
export function plausible(schema: Schema, rng: Rng, source: Source, name = ''): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return pick(rng, schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return plausible(pick(rng, branches), rng, source, name);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      if (schema.pattern === ID_PATTERN) return source.id(name);
      if (schema.format === 'date-time') return new Date(Date.now() - between(rng, 0, 60) * 86_400_000).toISOString();
      const known = source.text(name) ?? (schema.pattern ? PLAUSIBLE_BY_PATTERN[schema.pattern] : undefined);
      if (known !== undefined) return known;
      const length = Math.max(schema.minLength ?? 0, Math.min(schema.maxLength ?? 8, 8));
      return '邻里测试内容abcdefgh'.repeat(3).slice(0, Math.max(length, 2));
    }
    case 'integer':
    case 'number':
      return between(rng, schema.minimum ?? 1, Math.min(schema.maximum ?? 50, (schema.minimum ?? 1) + 50));
    case 'boolean':
      return rng() < 0.5;
    case 'null':
      return null;
    case 'array': {
      const count = Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 1, 1));
      return Array.from({ length: count }, () => plausible(schema.items ?? {}, rng, source, name));
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(schema.properties ?? {}))
        if (schema.required?.includes(key) || rng() < 0.5) out[key] = plausible(sub, rng, source, key);
      // Records (e.g. the text fields of an edit): one entry under a field name the service knows.
      const record = Object.values(schema.patternProperties ?? {})[0];
      if (record) out.description = plausible(record, rng, source, 'description');
      return out;
    }
    default:
      return 'x';
  }
}

const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const deepArray = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

/** Property names an attacker adds: tenancy, ids, operators, prototype keys, fields the server owns. */
export const EXTRA_KEYS = [
  'communityId',
  '_id',
  '$where',
  '$set',
  '__proto__',
  'constructor',
  'prototype',
  'code',
  'order',
  'reporterId',
  'userId',
  'role',
  'moderation',
  'state',
  'bannedUntil',
  'isAdmin',
];

/** Values (as JSON text) that are wrong for nearly every field. */
export function hostileValues(source: Source): string[] {
  const json = (value: unknown) => JSON.stringify(value);
  return [
    'null',
    'true',
    '0',
    '-1',
    '1.5',
    '1e308',
    '-0',
    '18446744073709551616',
    json(''),
    json(' '),
    json('x'.repeat(100_000)),
    json('\u0000'),
    '"\\ud800"',
    json('😀'.repeat(200)),
    '[]',
    '[[]]',
    '{}',
    json({ $gt: '' }),
    json({ $ne: null }),
    json({ $where: 'sleep(1000) || true' }),
    json({ $regex: '.*' }),
    json({ $expr: { $eq: [1, 1] } }),
    json({ $date: '2020-01-01T00:00:00Z' }),
    json({ $oid: '000000000000000000000000' }),
    json({ _bsontype: 'ObjectId', id: 'aaaaaaaaaaaa' }),
    json({ _bsontype: 'Code', code: 'this' }),
    '{"__proto__":{"polluted":true}}',
    json({ constructor: { prototype: { polluted: true } } }),
    deepObject(200),
    deepArray(5000),
    json('zzzzzzzzzzzzzzzzzzzzzzzz'),
    json('000000000000000000000000'),
    json('123456789012'),
    json(source.id('otherCommunity')),
    json(source.id('anyOther')),
    json(['a', 'b']),
    json('constructor'),
    json('__proto__'),
    json('toString'),
    json('hasOwnProperty'),
    json('../../etc/passwd'),
    json('<script>alert(1)</script>'),
    json('1970-01-01T00:00:00Z'),
    json('0001-01-01T00:00:00Z'),
    json('9999-12-31T23:59:59Z'),
    json('2026-02-30T25:61:00Z'),
    json(Array.from({ length: 20_000 }, (_, i) => i)),
  ];
}

/** The JSON text of `object` with `key: value` (JSON text) added at the top. */
function withKey(objectText: string, key: string, valueText: string): string {
  const rest = objectText.slice(1);
  return `{${JSON.stringify(key)}:${valueText}${rest === '}' ? '' : ','}${rest}`;
}

/** Paths of the values inside a JSON value, to aim a mutation at one of them. */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [at, ...value.flatMap((v, i) => paths(v, [...at, i]))];
  if (value && typeof value === 'object')
    return [at, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...at, k]))];
  return [at];
}

/** The JSON text of `root` with the value at `path` replaced by `valueText`. */
function replacedAt(root: unknown, path: (string | number)[], valueText: string): string {
  const marker = '\u0001FUZZ\u0001';
  const copy = JSON.parse(JSON.stringify(root ?? null)) as unknown;
  if (path.length === 0) return valueText;
  let parent = copy as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  parent[path[path.length - 1]!] = marker;
  return JSON.stringify(copy).replace(JSON.stringify(marker), valueText);
}

export interface RawBody {
  payload: string;
  contentType?: string;
  label: string;
}

/** One hostile JSON body derived from a plausible one. */
export function mutateBody(valid: unknown, rng: Rng, source: Source): RawBody {
  const text = JSON.stringify(valid ?? {});
  const hostile = hostileValues(source);
  const isObject = valid !== null && typeof valid === 'object' && !Array.isArray(valid);
  const kinds: (() => RawBody)[] = [
    () => {
      const key = pick(rng, EXTRA_KEYS);
      const value = key === 'communityId' ? JSON.stringify(source.id('otherCommunity')) : pick(rng, hostile);
      return { payload: isObject ? withKey(text, key, value) : value, label: `extra ${key}` };
    },
    () => {
      // An extra property inside a nested object, where there is one.
      const objects = paths(valid).filter((p) => {
        let v: unknown = valid;
        for (const s of p) v = (v as Record<string | number, unknown>)[s];
        return p.length > 0 && v !== null && typeof v === 'object' && !Array.isArray(v);
      });
      if (objects.length === 0)
        return { payload: withKey(isObject ? text : '{}', '$where', '"1"'), label: 'extra $where' };
      const at = pick(rng, objects);
      let inner: unknown = valid;
      for (const s of at) inner = (inner as Record<string | number, unknown>)[s];
      const key = pick(rng, EXTRA_KEYS);
      return {
        payload: replacedAt(valid, at, withKey(JSON.stringify(inner), key, pick(rng, hostile))),
        label: `nested extra ${key}`,
      };
    },
    () => {
      const at = pick(
        rng,
        paths(valid)
          .filter((p) => p.length > 0)
          .concat([[]]),
      );
      return { payload: replacedAt(valid, at, pick(rng, hostile)), label: `value at ${at.join('.') || 'root'}` };
    },
    () => {
      const required = isObject ? Object.keys(valid as object) : [];
      if (required.length === 0) return { payload: '{}', label: 'empty object' };
      const drop = pick(rng, required);
      const rest = { ...(valid as Record<string, unknown>) };
      delete rest[drop];
      return { payload: JSON.stringify(rest), label: `without ${drop}` };
    },
    () => ({ payload: pick(rng, ['[]', '"text"', '1', 'null', 'true', '{}', '[{}]']), label: 'wrong root type' }),
    () => ({
      payload: pick(rng, [deepObject(5000), deepArray(5000), deepArray(200_000), `{"a":${deepArray(100_000)}}`]),
      label: 'deep nesting',
    }),
    () => ({
      payload: pick(rng, [
        text.slice(0, Math.max(1, text.length - 3)),
        `${text.slice(0, -1)},}`,
        '{"a":}',
        '{"a":NaN}',
        '{/* c */}',
        `\uFEFF${text}`,
        isObject ? withKey(text, Object.keys(valid as object)[0] ?? 'a', '{"$gt":""}') : '{"a":1,"a":2}',
        '',
        '{"a":"\\u00"}',
      ]),
      label: 'broken JSON',
    }),
    () => {
      const size = pick(rng, [300_000, 900_000, 1_100_000]);
      const key = isObject ? (Object.keys(valid as object)[0] ?? 'a') : 'a';
      return {
        payload: replacedAt(isObject ? valid : {}, [key], JSON.stringify('长'.repeat(size / 3))),
        label: `huge ${key}`,
      };
    },
    () => ({
      payload: text,
      contentType: pick(rng, [
        'text/plain',
        'application/xml',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=zzz',
        'application/json; charset=utf-16',
        'application/json; charset=latin1',
        'application/x-json-garbage',
      ]),
      label: 'wrong content type',
    }),
    () => ({
      payload: `{${Array.from({ length: 20_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`,
      label: 'many keys',
    }),
    () => ({ payload: '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}', label: 'prototype keys' }),
  ];
  return pick(rng, kinds)();
}

/** A query string (without `?`) from its parameters, encoded as a client would. */
export function queryString(params: Record<string, string | string[]>): string {
  return Object.entries(params)
    .flatMap(([k, v]) => [v].flat().map((one) => `${encodeURIComponent(k)}=${encodeURIComponent(one)}`))
    .join('&');
}

/** One hostile query string derived from plausible parameters. */
export function mutateQuery(valid: Record<string, string>, rng: Rng, source: Source): { query: string; label: string } {
  const keys = Object.keys(valid);
  const someKey = keys.length > 0 ? pick(rng, keys) : 'q';
  const hostile = [
    '',
    ' ',
    'x'.repeat(50_000),
    '{"$gt":""}',
    '[object Object]',
    'zzzzzzzzzzzzzzzzzzzzzzzz',
    '123456789012',
    source.id('otherCommunity'),
    source.id('anyOther'),
    'NaN',
    'Infinity',
    '-1',
    '1e400',
    '1.5',
    'true',
    'null',
    'constructor',
    '__proto__',
    '\u0000',
    '😀',
    '2026-13-45T99:99:99Z',
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59+14:00',
  ];
  const kinds: (() => { query: string; label: string })[] = [
    () => {
      const key = pick(rng, EXTRA_KEYS);
      const value = key === 'communityId' ? source.id('otherCommunity') : pick(rng, hostile);
      return { query: queryString({ ...valid, [key]: value }), label: `extra ${key}` };
    },
    () => ({ query: queryString({ ...valid, [someKey]: pick(rng, hostile) }), label: `bad ${someKey}` }),
    () => ({
      query: queryString({ ...valid, [someKey]: [valid[someKey] ?? 'a', pick(rng, hostile)] }),
      label: `repeated ${someKey}`,
    }),
    () => {
      const rest = { ...valid };
      delete rest[someKey];
      return { query: queryString(rest), label: `without ${someKey}` };
    },
    () => ({
      query: `${queryString(valid)}&${pick(rng, [
        `${someKey}[$ne]=1`,
        `${someKey}[]=a&${someKey}[]=b`,
        `${someKey}=%zz`,
        `${someKey}=%E0%A4%A`,
        `${someKey}=%`,
        '__proto__[polluted]=1',
        'constructor[prototype][x]=1',
        `${someKey}`,
        '&&&=&',
      ])}`,
      label: 'odd encoding',
    }),
  ];
  return pick(rng, kinds)();
}

const b64 = (text: string) => Buffer.from(text).toString('base64url');

/** Hostile page cursors: operator objects, wrong lengths and types, not JSON, not base64, too long. */
export function hostileCursors(source: Source, real: string[]): string[] {
  const id = source.id('anyOther');
  const date = { $date: new Date().toISOString() };
  const json = (value: unknown) => b64(JSON.stringify(value));
  const decodedReal = real.map((c) => Buffer.from(c, 'base64url').toString('utf8'));
  return [
    json([{ $gt: '' }, id]),
    json([date, { $ne: null }]),
    json([{ $foo: 1 }, id]),
    json([{ $expr: { $gt: ['$createdAt', 0] } }, id]),
    json([{ $regex: '.*' }, { $regex: '.*' }]),
    json([{ $date: { $gt: 1 } }, id]),
    json([{ $date: 'not a date' }, id]),
    json([{ $date: '2020-01-01T00:00:00Z', $where: '1' }, id]),
    json([date, { $oid: id }]),
    json([date, { _bsontype: 'ObjectId', id: 'aaaaaaaaaaaa' }]),
    json([true, date, { $where: 'sleep(100)' }]),
    json([{ $ne: true }, date, id]),
    json([true, { $gt: '' }, id]),
    json([false, date, id]),
    json([1e308, id]),
    json([date, 'zzzzzzzzzzzzzzzzzzzzzzzz']),
    json([date, '123456789012']),
    json([date, id, id, id]),
    json([date]),
    json([]),
    json(null),
    json({}),
    json({ 0: date, 1: id, length: 2 }),
    json('text'),
    json(42),
    json([[date], [id]]),
    json([null, null]),
    json([date, null]),
    b64('{"__proto__":[1,2]}'),
    b64('[{"__proto__":{"$gt":""}},"x"]'),
    b64('not json at all'),
    b64('[1,2'),
    Buffer.from([0xff, 0xfe, 0x00]).toString('base64url'),
    '!!!***',
    '',
    '====',
    'x'.repeat(199),
    'x'.repeat(5000),
    ...real,
    ...real.map((c) => c.slice(0, -4)),
    ...decodedReal.map((text) => b64(text.replace(/"[0-9a-f]{24}"/, '{"$gt":""}'))),
    ...decodedReal.map((text) => b64(text.replace(/\{"\$date":"[^"]+"\}/, '{"$gt":""}'))),
  ];
}
