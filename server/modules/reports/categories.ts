import type { Types } from 'mongoose';
import { ErrorCode } from '../../../shared/errors';
import { defaultCategories, type ReportCategory } from '../../../shared/reports';
import { UpdateCategoryBody, type CategoryChanges, type CategoryView } from '../../../shared/schemas/reports';
import { AppError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { CategoryDoc } from './model';

/** What staff may change of a category: the fields its update schema names. */
const EDITABLE = Object.keys(UpdateCategoryBody.properties) as (keyof CategoryChanges)[];

/** A community's report categories; the shared defaults are written the first time a community asks. */
export function createCategories(models: Pick<Models, 'ReportCategory'>) {
  const seeded = new Set<string>();

  async function ensureDefaults(communityId: Types.ObjectId): Promise<void> {
    if (seeded.has(String(communityId))) return;
    await models.ReportCategory.bulkWrite(
      defaultCategories.map((category, order) => ({
        updateOne: {
          filter: { communityId, code: category.code },
          update: { $setOnInsert: { ...category, order } },
          upsert: true,
        },
      })),
    );
    seeded.add(String(communityId));
  }

  function view(doc: CategoryDoc): CategoryView {
    const {
      code,
      name,
      icon,
      group,
      keywords,
      handler,
      priority,
      acceptWithinMinutes,
      resolveWithinMinutes,
      duplicateRadiusMeters,
      privateByDefault,
    } = doc;
    return {
      code,
      name,
      icon,
      group,
      keywords,
      handler: handler as CategoryView['handler'],
      priority,
      acceptWithinMinutes,
      resolveWithinMinutes,
      duplicateRadiusMeters,
      privateByDefault,
    };
  }

  async function list(communityId: Types.ObjectId): Promise<CategoryView[]> {
    await ensureDefaults(communityId);
    return (await models.ReportCategory.find({ communityId }).sort({ order: 1 }).lean<CategoryDoc[]>()).map(view);
  }

  async function get(communityId: Types.ObjectId, code: string): Promise<ReportCategory> {
    await ensureDefaults(communityId);
    const doc = await models.ReportCategory.findOne({ communityId, code }).lean<CategoryDoc>();
    if (!doc) throw new AppError(400, ErrorCode.UNKNOWN_CATEGORY, `No report category ${code} here`);
    return view(doc);
  }

  async function update(communityId: Types.ObjectId, code: string, changes: CategoryChanges): Promise<CategoryView> {
    await get(communityId, code);
    // Named fields only: what a caller sends never picks the fields written (code, communityId, order stay).
    const set = Object.fromEntries(
      EDITABLE.filter((field) => changes[field] !== undefined).map((field) => [field, changes[field]]),
    );
    const doc = await models.ReportCategory.findOneAndUpdate(
      { communityId, code },
      { $set: set },
      { returnDocument: 'after' },
    ).lean<CategoryDoc>();
    return view(doc!);
  }

  return { list, get, update };
}
export type Categories = ReturnType<typeof createCategories>;
