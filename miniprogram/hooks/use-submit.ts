import { useCallback, useState } from 'react';
import { toApiError } from '../services/api';

/**
 * A form's submit: `busy` while it runs, the failure's message in `error` (what was typed stays), and the answer
 * or undefined when it failed. Given the form's `inputs`, an error (the service's, or one set with `setError`)
 * shows only until they change: once the user fixes what it was about, it goes.
 */
export function useSubmit(inputs?: unknown) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ message: string; inputs: string }>();
  const current = JSON.stringify(inputs ?? null);
  const setError = useCallback(
    (message: string | undefined) => setFailure(message === undefined ? undefined : { message, inputs: current }),
    [current],
  );
  const run = useCallback(
    async <T>(call: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      setError(undefined);
      try {
        return await call();
      } catch (err) {
        setError(toApiError(err).message);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [setError],
  );
  const error = failure?.inputs === current ? failure.message : undefined;
  return { busy, error, setError, run };
}
