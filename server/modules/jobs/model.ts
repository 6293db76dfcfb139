import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';

/**
 * A unit of scheduled work. Instances claim due jobs with one conditional update that sets a lease, so
 * each due job runs on one instance; a lease that runs out (the instance died) makes the job due again.
 */
const jobSchema = new Schema(
  {
    name: { type: String, required: true },
    /** Deduplicates: scheduling a job with a key that is already scheduled replaces its time and payload. */
    key: { type: String, required: true, unique: true },
    runAt: { type: Date, required: true },
    status: { type: String, required: true, enum: ['scheduled', 'running', 'done', 'failed'], default: 'scheduled' },
    payload: { type: Schema.Types.Mixed, default: {} },
    /** For recurring jobs: the schedule that gives the next run after this one. */
    repeat: { type: String, default: null },
    leaseOwner: { type: String, default: null },
    leaseUntil: { type: Date, default: null },
    attempts: { type: Number, default: 0 },
    lastError: { type: String, default: null },
  },
  { timestamps: true },
);
jobSchema.index({ status: 1, runAt: 1 });
jobSchema.index({ status: 1, leaseUntil: 1 });

export type Job = InferSchemaType<typeof jobSchema> & { _id: Types.ObjectId };

export function jobModel(connection: Connection) {
  return connection.model('Job', jobSchema, 'jobs');
}
export type JobModel = ReturnType<typeof jobModel>;
