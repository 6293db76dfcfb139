import Taro from '@tarojs/taro';
import { inWechat } from '../../utils/platform';

/** A file's text in `encoding`, in a browser. */
function readAs(file: Blob, encoding: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(file, encoding);
  });
}

/**
 * A CSV file's text, picked from a WeChat chat (`chooseMessageFile`) or, in a browser, from the computer; undefined
 * when the user cancels. Excel in China saves CSV as GBK: a browser file that is not UTF-8 is read as GBK.
 */
export async function pickCsvFile(): Promise<string | undefined> {
  if (inWechat()) {
    let path: string | undefined;
    try {
      path = (await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['csv', 'txt'] })).tempFiles[0]?.path;
    } catch {
      return undefined;
    }
    if (!path) return undefined;
    const filePath = path;
    return new Promise((resolve, reject) =>
      Taro.getFileSystemManager().readFile({
        filePath,
        encoding: 'utf8',
        success: (r) => resolve(String(r.data)),
        fail: reject,
      }),
    );
  }
  const file = await new Promise<File | undefined>((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.csv,text/csv,text/plain';
    input.onchange = () => resolve(input.files?.[0]);
    input.click();
  });
  if (!file) return undefined;
  const utf8 = await readAs(file, 'utf-8');
  return utf8.includes('\uFFFD') ? readAs(file, 'gbk') : utf8;
}
