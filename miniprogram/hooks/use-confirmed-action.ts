import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { toastError, toastSuccess } from '../utils/toast';

/**
 * An action on one item of a list that the user confirms first (撤销 an invite, 解除 a ban): `run` asks with a
 * modal, then acts, then toasts how it went; `pending` is the key of the item being acted on, for its button.
 */
export function useConfirmedAction() {
  const [pending, setPending] = useState<string>();
  const run = useCallback(
    async (key: string, ask: { title: string; content: string }, act: () => Promise<void>, done: string) => {
      const { confirm } = await Taro.showModal(ask);
      if (!confirm) return;
      setPending(key);
      try {
        await act();
        toastSuccess(done);
      } catch (err) {
        toastError(err);
      } finally {
        setPending(undefined);
      }
    },
    [],
  );
  return { pending, run };
}
