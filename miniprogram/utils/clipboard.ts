import Taro from '@tarojs/taro';
import { privacyRefusal } from '../services/privacy';
import { toastSuccess } from './toast';

/**
 * Copies `text` (a code, a CSV) and says so. The clipboard is a privacy API in WeChat: refused (the privacy
 * agreement or the permission), a plain message says why and the text stays on the page to select by hand.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    await Taro.setClipboardData({ data: text });
  } catch (err) {
    const problem = privacyRefusal(err, '剪贴板');
    if (problem) void Taro.showToast({ title: problem, icon: 'none', duration: 2500 });
    return false;
  }
  toastSuccess('已复制');
  return true;
}
