/**
 * `$jsonSchema` (as MongoDB implements it: draft 4 with `bsonType`, no `$ref`/`default`/`definitions`/`format`),
 * compiled into a predicate. Used in validators and queries; unknown keywords are refused as MongoDB refuses them.
 */
import {
  bsonTypeName,
  compareValues,
  isNumeric,
  isPlainObject,
  matchesType,
  valueKey,
  valuesEqual,
  type Doc,
} from './bson-values';
import { badValue } from './errors';

type Test = (v: unknown) => boolean;

/** JSON Schema `type` names over BSON values. */
const JSON_TYPES: Record<string, Test> = {
  object: isPlainObject,
  array: Array.isArray,
  string: (v) => typeof v === 'string',
  number: isNumeric,
  boolean: (v) => typeof v === 'boolean',
  null: (v) => v === null,
};

const IGNORED = new Set(['title', 'description']);

const BSON_TYPES = new Set(
  'double string object array binData undefined objectId bool date null regex javascript symbol int timestamp long decimal minKey maxKey number'.split(
    ' ',
  ),
);

const count = (v: unknown, keyword: string): number => {
  if (!isNumeric(v) || Number(v) < 0) throw badValue(`$jsonSchema keyword '${keyword}' must be a non-negative number`);
  return Number(v);
};

const schemaList = (v: unknown, keyword: string): Doc[] => {
  if (!Array.isArray(v) || v.length === 0 || !v.every(isPlainObject))
    throw badValue(`$jsonSchema keyword '${keyword}' must be a non-empty array of objects`);
  return v;
};

/** A predicate for one schema; a value the keyword does not apply to (wrong type) passes it, as in JSON Schema. */
export function compileSchema(schema: unknown): Test {
  if (!isPlainObject(schema)) throw badValue('$jsonSchema must be an object');
  const tests: Test[] = [];
  const s = schema;
  for (const [k, arg] of Object.entries(s)) {
    switch (k) {
      case 'bsonType':
      case 'type': {
        const names = Array.isArray(arg) ? arg : [arg];
        const one: Test[] = names.map((n) => {
          if (typeof n !== 'string')
            throw badValue(`$jsonSchema keyword '${k}' must be a string or an array of strings`);
          if (k === 'type') {
            const t = JSON_TYPES[n];
            if (!t) throw badValue(`Unknown type name alias: ${n}`);
            return t;
          }
          if (!BSON_TYPES.has(n)) throw badValue(`Unknown type name alias: ${n}`);
          return (v) => matchesType(v, n);
        });
        tests.push((v) => one.some((t) => t(v)));
        break;
      }
      case 'enum': {
        if (!Array.isArray(arg) || arg.length === 0)
          throw badValue("$jsonSchema keyword 'enum' must be a non-empty array");
        tests.push((v) => arg.some((e) => valuesEqual(v, e) && bsonTypeName(v) === bsonTypeName(e)));
        break;
      }
      case 'minimum':
      case 'maximum': {
        if (!isNumeric(arg)) throw badValue(`$jsonSchema keyword '${k}' must be a number`);
        const exclusive = s[k === 'minimum' ? 'exclusiveMinimum' : 'exclusiveMaximum'] === true;
        const sign = k === 'minimum' ? 1 : -1;
        tests.push((v) => !isNumeric(v) || compareValues(v, arg) * sign > (exclusive ? 0 : -1));
        break;
      }
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        break;
      case 'minLength':
      case 'maxLength': {
        const n = count(arg, k);
        const ok = k === 'minLength' ? (l: number) => l >= n : (l: number) => l <= n;
        tests.push((v) => typeof v !== 'string' || ok([...v].length));
        break;
      }
      case 'pattern': {
        if (typeof arg !== 'string') throw badValue("$jsonSchema keyword 'pattern' must be a string");
        const re = new RegExp(arg, 'u');
        tests.push((v) => typeof v !== 'string' || re.test(v));
        break;
      }
      case 'multipleOf': {
        if (!isNumeric(arg) || Number(arg) <= 0) throw badValue("$jsonSchema keyword 'multipleOf' must be positive");
        tests.push((v) => !isNumeric(v) || Number(v) % Number(arg) === 0);
        break;
      }
      case 'required': {
        if (!Array.isArray(arg) || !arg.every((f) => typeof f === 'string'))
          throw badValue("$jsonSchema keyword 'required' must be an array of strings");
        tests.push((v) => !isPlainObject(v) || arg.every((f) => v[f as string] !== undefined));
        break;
      }
      case 'minProperties':
      case 'maxProperties': {
        const n = count(arg, k);
        const ok = k === 'minProperties' ? (l: number) => l >= n : (l: number) => l <= n;
        tests.push((v) => !isPlainObject(v) || ok(Object.keys(v).length));
        break;
      }
      case 'properties':
      case 'patternProperties':
      case 'additionalProperties':
        break;
      case 'items': {
        if (Array.isArray(arg)) {
          const each = arg.map(compileSchema);
          const rest = s.additionalItems;
          const extra = isPlainObject(rest) ? compileSchema(rest) : () => rest !== false;
          tests.push((v) => !Array.isArray(v) || v.every((x, i) => (each[i] ? each[i](x) : extra(x))));
        } else {
          const each = compileSchema(arg);
          tests.push((v) => !Array.isArray(v) || v.every(each));
        }
        break;
      }
      case 'additionalItems':
        break;
      case 'minItems':
      case 'maxItems': {
        const n = count(arg, k);
        const ok = k === 'minItems' ? (l: number) => l >= n : (l: number) => l <= n;
        tests.push((v) => !Array.isArray(v) || ok(v.length));
        break;
      }
      case 'uniqueItems':
        if (arg === true) tests.push((v) => !Array.isArray(v) || new Set(v.map(valueKey)).size === v.length);
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf': {
        const subs = schemaList(arg, k).map(compileSchema);
        if (k === 'allOf') tests.push((v) => subs.every((t) => t(v)));
        else if (k === 'anyOf') tests.push((v) => subs.some((t) => t(v)));
        else tests.push((v) => subs.filter((t) => t(v)).length === 1);
        break;
      }
      case 'not': {
        const sub = compileSchema(arg);
        tests.push((v) => !sub(v));
        break;
      }
      case 'dependencies': {
        if (!isPlainObject(arg)) throw badValue("$jsonSchema keyword 'dependencies' must be an object");
        for (const [field, dep] of Object.entries(arg)) {
          const need: Test = Array.isArray(dep)
            ? (v) => dep.every((f) => (v as Doc)[f as string] !== undefined)
            : compileSchema(dep);
          tests.push((v) => !isPlainObject(v) || v[field] === undefined || need(v));
        }
        break;
      }
      default:
        if (!IGNORED.has(k)) throw badValue(`Unknown $jsonSchema keyword: ${k}`);
    }
  }
  const objectTest = compileProperties(s);
  if (objectTest) tests.push((v) => !isPlainObject(v) || objectTest(v));
  return (v) => tests.every((t) => t(v));
}

/** `properties`, `patternProperties` and `additionalProperties` of one object schema. */
function compileProperties(s: Doc): ((v: Doc) => boolean) | null {
  const { properties, patternProperties, additionalProperties } = s;
  if (properties === undefined && patternProperties === undefined && additionalProperties === undefined) return null;
  if (properties !== undefined && !isPlainObject(properties))
    throw badValue("$jsonSchema keyword 'properties' must be an object");
  if (patternProperties !== undefined && !isPlainObject(patternProperties))
    throw badValue("$jsonSchema keyword 'patternProperties' must be an object");
  const named = new Map(Object.entries(properties ?? {}).map(([k, sub]) => [k, compileSchema(sub)]));
  const patterned = Object.entries(patternProperties ?? {}).map(
    ([re, sub]) => [new RegExp(re, 'u'), compileSchema(sub)] as const,
  );
  const additional: Test | null =
    additionalProperties === undefined || additionalProperties === true
      ? null
      : additionalProperties === false
        ? () => false
        : compileSchema(additionalProperties);
  return (v) =>
    Object.entries(v).every(([k, x]) => {
      const own = named.get(k);
      const matching = patterned.filter(([re]) => re.test(k));
      if (own && !own(x)) return false;
      if (!matching.every(([, t]) => t(x))) return false;
      return own || matching.length || !additional ? true : additional(x);
    });
}
