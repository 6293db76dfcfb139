import type { Schema } from 'mongoose';

const changes = [
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'replaceOne',
  'findOneAndReplace',
  'deleteOne',
  'deleteMany',
  'findOneAndDelete',
] as const;

/** Makes a collection append-only: every write path through mongoose other than insert throws `message`. */
export function appendOnly(schema: Schema, message: string): void {
  for (const op of changes) {
    schema.pre(op, function refuseChange() {
      throw new Error(message);
    });
  }
}
