import Taro from '@tarojs/taro';
import { ErrorCode } from '../../shared/errors';
import { ApiError, withSession } from './api';
import { ClientErrorCode, friendlyMessage } from './error-messages';
import { privacyApi } from './privacy-api';

/**
 * Getting a data export's archive (a zip) onto the phone. The download needs the session's token, so a plain link
 * would not do: on H5 the archive is fetched and saved as a file (`linli-我的数据.zip`); in WeChat it is downloaded
 * to a temporary file (`wx.downloadFile`), which the user then sends to a chat — 文件传输助手 reaches their
 * computer — with `wx.shareFileMessage` (WeChat's openDocument cannot open a zip).
 */
export const EXPORT_FILE_NAME = 'linli-我的数据.zip';

function failure(statusCode: number): ApiError {
  if (statusCode === 0) return new ApiError(ClientErrorCode.NETWORK, friendlyMessage(ClientErrorCode.NETWORK), 0);
  const code =
    statusCode === 410 || statusCode === 404
      ? ErrorCode.EXPORT_EXPIRED
      : statusCode === 409
        ? ErrorCode.EXPORT_NOT_READY
        : ErrorCode.INTERNAL;
  return new ApiError(code, friendlyMessage(code, statusCode), statusCode);
}

/** H5: fetches the archive and saves it as a file. */
export async function saveExportInBrowser(id: string): Promise<void> {
  const response = await withSession(async (token) => {
    try {
      const answer = await fetch(`${LINLI_API_BASE}/api${privacyApi.exportDownloadPath(id)}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      const data = answer.ok ? await answer.blob() : await answer.json().catch(() => null);
      return { statusCode: answer.status, data };
    } catch {
      return { statusCode: 0, data: null };
    }
  });
  if (response.statusCode !== 200) throw failure(response.statusCode);
  const url = URL.createObjectURL(response.data as Blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = EXPORT_FILE_NAME;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** WeChat: downloads the archive to a temporary file; resolves with its path. */
export async function downloadExportInWechat(id: string): Promise<string> {
  const response = await withSession(async (token) => {
    try {
      const answer = await Taro.downloadFile({
        url: `${LINLI_API_BASE}/api${privacyApi.exportDownloadPath(id)}`,
        header: token ? { Authorization: `Bearer ${token}` } : {},
      });
      return { statusCode: answer.statusCode, data: answer.tempFilePath };
    } catch {
      return { statusCode: 0, data: null };
    }
  });
  if (response.statusCode !== 200) throw failure(response.statusCode);
  return response.data as string;
}

/** WeChat: sends the downloaded archive to a chat the user picks (must run inside a tap). */
export async function shareExportFile(filePath: string): Promise<void> {
  await Taro.shareFileMessage({ filePath, fileName: EXPORT_FILE_NAME });
}
