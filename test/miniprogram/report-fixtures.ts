import { defaultCategories } from '../../shared/reports';
import type { CategoryView } from '../../shared/schemas/reports';
import { deleteDraft, outboxState } from '../../miniprogram/services/outbox';
import { photo } from './demo-data';
import { __uploadTask, uploadFile } from './doubles/taro';
import { resetApp } from './fixtures';

/** 随手拍 as the mini-program sees it in the demo community (幸福里社区 · 阳光花园 · 1栋 · 1单元). */

// The reporters, handlers, places, reports and photos are plain data, shared with the compiled-weapp tests.
export { community, estate, gridWorker, owner, photo, report, staff, step, unitView } from './demo-data';

export const categories: CategoryView[] = defaultCategories.map((category) => ({ ...category }));

type UploadOption = { url: string; filePath: string; header?: Record<string, string> };
export interface SentUpload {
  url: string;
  filePath: string;
  key: string | undefined;
  authorization: string | undefined;
}
type UploadReply = { status: number; body: unknown } | 'network-error';

/**
 * Plays POST /media for wx.uploadFile: each upload gets `reply(upload, n)` (n counts from 0), reported with
 * `steps` of progress first. Returns the uploads the page sent, in order.
 */
export function serveUploads(
  reply: (upload: SentUpload, n: number) => UploadReply | Promise<UploadReply>,
  steps: number[] = [],
): SentUpload[] {
  const sent: SentUpload[] = [];
  uploadFile.mockImplementation((option: UploadOption) => {
    const upload: SentUpload = {
      url: option.url,
      filePath: option.filePath,
      key: option.header?.['Idempotency-Key'],
      authorization: option.header?.Authorization,
    };
    sent.push(upload);
    const answer = Promise.resolve(reply(upload, sent.length - 1)).then((result) => {
      if (result === 'network-error') throw { errMsg: 'uploadFile:fail timeout' };
      return { statusCode: result.status, data: JSON.stringify(result.body) };
    });
    return __uploadTask(answer, steps);
  });
  return sent;
}

/** The service's answer to an upload: the photo it stored. */
export const stored = (n: number, status = 201) => ({ status, body: photo(n) });

/** A fresh app whose outbox is empty too (the outbox keeps its drafts in memory as well as in storage). */
export function resetReportApp(): void {
  for (const draft of outboxState().drafts) deleteDraft(draft.key);
  resetApp();
}
