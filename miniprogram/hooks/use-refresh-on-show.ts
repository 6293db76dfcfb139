import { useDidHide, useDidShow } from '@tarojs/taro';
import { useRef } from 'react';

/**
 * Refreshes when the user comes back to the page (from a page they opened, or another tab), so counts
 * and lists reflect what they did there. The first show is the page's own initial load.
 */
export function useRefreshOnShow(refresh: () => unknown): void {
  const hidden = useRef(false);
  useDidHide(() => {
    hidden.current = true;
  });
  useDidShow(() => {
    if (!hidden.current) return;
    hidden.current = false;
    void refresh();
  });
}
