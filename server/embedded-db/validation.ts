/**
 * Document validation (`create`/`collMod` with `validator`, `validationLevel`, `validationAction`): every insert
 * and update of a collection with a validator is checked against it, as a query filter, unless the command asked
 * for `bypassDocumentValidation`. Also refuses writes to views. Called by the store on each insert and replace.
 */
import { isPlainObject, type Doc } from './bson-values';
import { badValue, MongoError } from './errors';
import { compileFilter } from './query';
import type { Collection, WriteContext } from './store';
import { refuseView } from './views';

const compiled = new WeakMap<Doc, (doc: Doc) => boolean>();

function validatorTest(validator: Doc): (doc: Doc) => boolean {
  let test = compiled.get(validator);
  if (!test) compiled.set(validator, (test = compileFilter(validator)));
  return test;
}

/** Checks `create`/`collMod` validation options, returning those to store. */
export function validationOptions(body: Doc): Doc {
  const out: Doc = {};
  if (body.validator !== undefined) {
    if (!isPlainObject(body.validator)) throw badValue("'validator' must be an object");
    validatorTest(body.validator);
    out.validator = body.validator;
  }
  if (body.validationLevel !== undefined) {
    if (!['off', 'strict', 'moderate'].includes(body.validationLevel as string))
      throw badValue(
        `Enumeration value '${String(body.validationLevel)}' for field 'validationLevel' is not a valid value.`,
      );
    out.validationLevel = body.validationLevel;
  }
  if (body.validationAction !== undefined) {
    if (!['error', 'warn'].includes(body.validationAction as string))
      throw badValue(
        `Enumeration value '${String(body.validationAction)}' for field 'validationAction' is not a valid value.`,
      );
    out.validationAction = body.validationAction;
  }
  return out;
}

/** The operator MongoDB names in `errInfo`: a validator's single top-level operator, else the implicit `$and`. */
function operatorOf(validator: Doc): string {
  const keys = Object.keys(validator);
  return keys.length === 1 && keys[0]?.startsWith('$') ? keys[0] : '$and';
}

/**
 * Refuses a write of `doc` (replacing `old`, or new) that breaks the collection's validator: 121
 * DocumentValidationFailure. Journal replay (no context) and undo are not checked.
 */
export function checkWrite(ctx: WriteContext | null, coll: Collection, doc: Doc, old: Doc | null): void {
  if (!ctx) return;
  refuseView(coll);
  const { validator, validationLevel, validationAction } = coll.options;
  if (!isPlainObject(validator) || ctx.bypassValidation || validationLevel === 'off') return;
  const test = validatorTest(validator);
  if (test(doc)) return;
  // 'moderate' leaves documents that already broke the rules free to change.
  if (validationLevel === 'moderate' && old && !test(old)) return;
  if (validationAction === 'warn') return;
  throw new MongoError(121, 'Document failed validation', {
    errInfo: { failingDocumentId: doc._id, details: { operatorName: operatorOf(validator), specifiedAs: validator } },
  });
}
