import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * Subscribe-message templates per event kind: the template id from the WeChat console (different for every
 * mini-program, hence configuration), the page the message opens, and which event field fills each
 * template field (e.g. `thing1` ← `title`).
 */
const TemplatesSchema = Type.Record(
  Type.String(),
  Type.Object({
    templateId: Type.String({ minLength: 1 }),
    page: Type.Optional(Type.String()),
    fields: Type.Record(Type.String(), Type.String()),
  }),
);
export type Templates = Static<typeof TemplatesSchema>;

export function loadTemplates(path: string): Templates {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Value.Check(TemplatesSchema, parsed)) {
    const first = [...Value.Errors(TemplatesSchema, parsed)][0];
    throw new Error(`Subscribe templates in ${path} are invalid: ${first?.path} ${first?.message}`);
  }
  return parsed;
}
