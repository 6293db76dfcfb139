/**
 * Collations: MongoDB's collation documents mapped onto ICU through `Intl.Collator` (strength 1–3 as ICU
 * sensitivities, caseLevel, caseFirst, numericOrdering, alternate 'shifted' as ignored punctuation). A query with
 * a collation runs its matching, sorting and grouping under that string order (bson-values `withStringOrder`).
 */
import { isPlainObject, valueKey, type Doc, type StringOrder } from './bson-values';
import { badValue, MongoError } from './errors';

const FIELDS = new Set([
  'locale',
  'strength',
  'caseLevel',
  'caseFirst',
  'numericOrdering',
  'alternate',
  'maxVariable',
  'normalization',
  'backwards',
  'version',
]);

const stripMarks = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '');

const cache = new Map<string, StringOrder | null>();

/** The string order of a collation document; null for none or `{ locale: 'simple' }`. */
export function collationOrder(collation: unknown): StringOrder | null {
  if (collation === undefined || collation === null) return null;
  if (!isPlainObject(collation)) throw badValue("'collation' must be an object");
  const cacheKey = valueKey(collation);
  const known = cache.get(cacheKey);
  if (known !== undefined) return known;
  const order = buildOrder(collation);
  cache.set(cacheKey, order);
  return order;
}

function buildOrder(c: Doc): StringOrder | null {
  for (const k of Object.keys(c))
    if (!FIELDS.has(k)) throw new MongoError(40415, `BSON field 'collation.${k}' is an unknown field.`);
  if (typeof c.locale !== 'string') throw badValue("Missing required field 'locale' in collation");
  if (c.locale === 'simple') return null;
  const strength = c.strength === undefined ? 3 : Number(c.strength);
  if (![1, 2, 3, 4, 5].includes(strength)) throw badValue('collation strength must be an integer from 1 to 5');
  const [lang, keywords] = c.locale.split('@');
  let locale: string;
  try {
    locale = Intl.getCanonicalLocales((lang ?? '').replace(/_/g, '-'))[0] ?? '';
  } catch {
    throw badValue(`Field 'locale' is invalid in: ${JSON.stringify(c)}`);
  }
  if (keywords?.startsWith('collation=')) locale += `-u-co-${keywords.slice('collation='.length)}`;
  if (Intl.Collator.supportedLocalesOf(locale).length === 0)
    throw badValue(`Field 'locale' is invalid in: ${JSON.stringify(c)}`);
  const caseLevel = c.caseLevel === true;
  const sensitivity = strength === 1 ? (caseLevel ? 'case' : 'base') : strength === 2 ? 'accent' : 'variant';
  const collator = new Intl.Collator(locale, {
    sensitivity,
    numeric: c.numericOrdering === true,
    ignorePunctuation: c.alternate === 'shifted',
    ...(c.caseFirst === 'upper' || c.caseFirst === 'lower' ? { caseFirst: c.caseFirst } : {}),
  });
  const folded = (s: string): string => {
    // Canonically equivalent strings (composed or decomposed accents) are equal at every strength.
    let k = s.normalize('NFC');
    if (sensitivity === 'base' || sensitivity === 'case') k = stripMarks(k);
    if (sensitivity === 'base' || sensitivity === 'accent') k = k.toLowerCase();
    if (c.numericOrdering === true) k = k.replace(/\d+/g, (d) => String(BigInt(d)));
    if (c.alternate === 'shifted') k = k.replace(/[\p{P}\p{Z}]/gu, '');
    return k;
  };
  return { compare: collator.compare, key: folded };
}

/** The collation a command's query uses: its own, else the collection's default. */
export function queryCollation(explicit: unknown, coll: { options: Doc } | undefined): StringOrder | null {
  return collationOrder(explicit ?? coll?.options.collation);
}
