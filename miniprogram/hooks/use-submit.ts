import { useCallback, useState } from 'react';
import { toApiError } from '../services/api';

/**
 * A form's submit: `busy` while it runs, the failure's message in `error` (what was typed stays), and the answer
 * or undefined when it failed.
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = useCallback(async <T>(call: () => Promise<T>): Promise<T | undefined> => {
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
  }, []);
  return { busy, error, setError, run };
}
