import mongoose, { Schema, type Connection } from 'mongoose';
import { openHarness, openMongoose, type Harness } from './helpers';

let h: Harness;
let conn: Connection;

const userSchema = new Schema(
  {
    email: { type: String, required: true, unique: true },
    name: String,
    age: Number,
    roles: [String],
    address: { city: String, zip: String },
  },
  { timestamps: true },
);
const postSchema = new Schema({ title: String, author: { type: Schema.Types.ObjectId, ref: 'User' }, likes: Number });

beforeAll(async () => {
  h = await openHarness();
  conn = await openMongoose(h);
  conn.model('User', userSchema);
  conn.model('Post', postSchema);
  await conn.model('User').init();
});
afterAll(async () => {
  await conn.dropDatabase();
  await conn.close();
  await h.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const User = () => conn.model<any>('User');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const Post = () => conn.model<any>('Post');

it('creates, reads (lean and hydrated), updates and deletes with timestamps', async () => {
  const u = await User().create({ email: 'a@x.cn', name: 'A', age: 30, roles: ['resident'] });
  const lean = await User().findById(u._id).lean<Record<string, any>>(); // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(lean).toMatchObject({ email: 'a@x.cn', name: 'A', age: 30, roles: ['resident'], __v: 0 });
  expect(lean!.createdAt).toBeInstanceOf(Date);
  const doc = await User().findById(u._id);
  expect(doc).toBeInstanceOf(mongoose.Model);
  doc!.set('address.city', 'Shanghai');
  await doc!.save();
  const updated = await User()
    .findOneAndUpdate({ _id: u._id }, { $inc: { age: 1 } }, { returnDocument: 'after' })
    .lean<Record<string, any>>(); // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(updated).toMatchObject({ age: 31, address: { city: 'Shanghai' } });
  expect(updated!.updatedAt.getTime()).toBeGreaterThanOrEqual(lean!.updatedAt.getTime());
  await User().deleteOne({ _id: u._id });
  expect(await User().findById(u._id)).toBeNull();
});

it('surfaces duplicate keys from the unique index as MongoDB does', async () => {
  await User().create({ email: 'dup@x.cn' });
  const err = await User()
    .create({ email: 'dup@x.cn' })
    .catch((e: unknown) => e);
  expect(err).toMatchObject({ code: 11000, keyValue: { email: 'dup@x.cn' } });
  expect(String((err as Error).message)).toMatch(/E11000/);
  const indexes = await User().listIndexes();
  expect(indexes.find((i) => i.name === 'email_1')).toMatchObject({ unique: true });
});

it('upserts with findOneAndUpdate and includeResultMetadata', async () => {
  const res = await User().findOneAndUpdate(
    { email: 'up@x.cn' },
    { $set: { name: 'Up' } },
    { upsert: true, returnDocument: 'after', includeResultMetadata: true },
  );
  expect(res.lastErrorObject).toMatchObject({ updatedExisting: false, n: 1 });
  expect(res.value).toMatchObject({ email: 'up@x.cn', name: 'Up' });
  expect(res.value!.get('createdAt')).toBeInstanceOf(Date);
});

it('counts, populates and paginates', async () => {
  const author = await User().create({ email: 'writer@x.cn', name: 'W' });
  await Post().insertMany(Array.from({ length: 25 }, (_, i) => ({ title: `p${i}`, author: author._id, likes: i })));
  expect(await Post().countDocuments({ likes: { $gte: 20 } })).toBe(5);
  expect(await Post().estimatedDocumentCount()).toBe(25);
  const page = await Post()
    .find()
    .sort({ likes: -1 })
    .skip(5)
    .limit(5)
    .populate('author', 'name')
    .lean<Record<string, any>[]>(); // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(page.map((p) => p.likes)).toEqual([19, 18, 17, 16, 15]);
  expect((page[0]!.author as { name: string }).name).toBe('W');
  const byAuthor = await Post().aggregate([{ $group: { _id: '$author', total: { $sum: '$likes' } } }]);
  expect(byAuthor).toEqual([{ _id: author._id, total: 300 }]);
});

it('runs bulkWrite and unordered insertMany past duplicates', async () => {
  await User().insertMany([{ email: 'b1@x.cn' }, { email: 'b2@x.cn' }]);
  const err = await User()
    .insertMany([{ email: 'b1@x.cn' }, { email: 'b3@x.cn' }], { ordered: false })
    .catch((e: unknown) => e);
  expect(err).toMatchObject({ code: 11000 });
  expect(await User().exists({ email: 'b3@x.cn' })).toBeTruthy();
  const res = await User().bulkWrite([
    { updateOne: { filter: { email: 'b1@x.cn' }, update: { $set: { age: 1 } } } },
    { deleteOne: { filter: { email: 'b2@x.cn' } } },
  ]);
  expect([res.modifiedCount, res.deletedCount]).toEqual([1, 1]);
});

it('validates, casts and queries nested and array fields', async () => {
  await User().create({ email: 'n@x.cn', roles: ['admin', 'resident'], address: { city: 'Hangzhou', zip: '310000' } });
  expect(await User().countDocuments({ roles: 'admin' })).toBe(1);
  expect(await User().countDocuments({ 'address.city': { $in: ['Hangzhou', 'Suzhou'] } })).toBe(1);
  await User().updateOne({ email: 'n@x.cn' }, { $pull: { roles: 'admin' } });
  await User().updateOne({ email: 'n@x.cn' }, { $addToSet: { roles: { $each: ['elder', 'resident'] } } });
  const conflict = await User()
    .updateOne({ email: 'n@x.cn' }, { $pull: { roles: 'elder' }, $addToSet: { roles: 'x' } })
    .catch((e: unknown) => e);
  expect(conflict).toMatchObject({ code: 40 });
  expect((await User().findOne({ email: 'n@x.cn' }))!.toObject().roles).toEqual(['resident', 'elder']);
  await expect(User().create({ name: 'no email' })).rejects.toThrow(/email/);
});
