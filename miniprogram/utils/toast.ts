import Taro from '@tarojs/taro';
import { toApiError } from '../services/api';

/** A short success note (WeChat shows at most 7 characters beside the tick). */
export function toastSuccess(title: string): void {
  void Taro.showToast({ title, icon: 'success', duration: 1500 });
}

/** The failure's Chinese message, as plain text (long enough for two lines). */
export function toastError(err: unknown): void {
  void Taro.showToast({ title: toApiError(err).message, icon: 'none', duration: 2500 });
}
