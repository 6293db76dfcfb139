/** MongoDB-shaped command errors: numeric code, codeName and optional extra fields (keyPattern, errorLabels…). */

const CODE_NAMES: Record<number, string> = {
  1: 'InternalError',
  2: 'BadValue',
  9: 'FailedToParse',
  13: 'Unauthorized',
  14: 'TypeMismatch',
  20: 'IllegalOperation',
  168: 'InvalidPipelineOperator',
  26: 'NamespaceNotFound',
  27: 'IndexNotFound',
  40: 'ConflictingUpdateOperators',
  43: 'CursorNotFound',
  48: 'NamespaceExists',
  53: 'InvalidIdField',
  59: 'CommandNotFound',
  66: 'ImmutableField',
  67: 'CannotCreateIndex',
  8: 'UnknownError',
  24: 'LockTimeout',
  50: 'MaxTimeMSExpired',
  64: 'WriteConcernFailed',
  117: 'ConflictingOperationInProgress',
  133: 'FailedToSatisfyReadPreference',
  11601: 'Interrupted',
  13388: 'StaleConfig',
  72: 'InvalidOptions',
  79: 'UnknownReplWriteConcern',
  91: 'ShutdownInProgress',
  100: 'UnsatisfiableWriteConcern',
  189: 'PrimarySteppedDown',
  10107: 'NotWritablePrimary',
  11600: 'InterruptedAtShutdown',
  11602: 'InterruptedDueToReplStateChange',
  13435: 'NotPrimaryNoSecondaryOk',
  13436: 'NotPrimaryOrSecondary',
  262: 'ExceededTimeLimit',
  6: 'HostUnreachable',
  7: 'HostNotFound',
  89: 'NetworkTimeout',
  9001: 'SocketException',
  73: 'InvalidNamespace',
  85: 'IndexOptionsConflict',
  86: 'IndexKeySpecsConflict',
  112: 'WriteConflict',
  121: 'DocumentValidationFailure',
  115: 'CommandNotSupported',
  165: 'ViewDepthLimitExceeded',
  166: 'CommandNotSupportedOnView',
  167: 'OptionNotSupportedOnView',
  171: 'CannotIndexParallelArrays',
  225: 'TransactionTooOld',
  251: 'NoSuchTransaction',
  256: 'TransactionCommitted',
  263: 'OperationNotSupportedInTransaction',
  291: 'NoQueryExecutionPlans',
  10334: 'BSONObjectTooLarge',
  11000: 'DuplicateKey',
  13113: 'MergeStageNoMatchingDocument',
  40324: 'Location40324',
};

export class MongoError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  get codeName(): string {
    return CODE_NAMES[this.code] ?? `Location${this.code}`;
  }

  /** The error as a command reply (`ok: 0`). */
  toReply(): Record<string, unknown> {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }

  /** The error as one entry of a write command's `writeErrors`. */
  toWriteError(index: number): Record<string, unknown> {
    const { errorLabels: _labels, ...extra } = this.extra;
    return { index, code: this.code, errmsg: this.message, ...extra };
  }
}

/** A feature the engine does not implement: always loud, never a silent wrong answer. */
export function unsupported(what: string): MongoError {
  return new MongoError(115, `embedded-db does not support ${what}`);
}

export const badValue = (message: string): MongoError => new MongoError(2, message);

/** Another transaction wrote the document (or it changed since this transaction's snapshot). */
export const writeConflict = (): MongoError =>
  transientError(
    112,
    'WriteConflict error: this operation conflicted with another operation. Please retry your operation or multi-document transaction.',
  );

export function transientError(code: number, message: string): MongoError {
  return new MongoError(code, message, { errorLabels: ['TransientTransactionError'] });
}
