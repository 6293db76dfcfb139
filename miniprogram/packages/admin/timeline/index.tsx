import { ScrollView, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { AtButton } from 'taro-ui';
import { useCallback, useState } from 'react';
import type { TimelineEntry } from '../../../../shared/schemas/platform';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { Timeline } from '../../../components/timeline';
import { useRequest } from '../../../hooks/use-request';
import { useSession } from '../../../hooks/use-session';
import { platformApi } from '../../../services/api';
import { grantsFor } from '../../../utils/permissions';
import { inWechat } from '../../../utils/platform';
import { toastError, toastSuccess } from '../../../utils/toast';
import { actionLabel, label, stateLabel } from '../labels';
import './index.scss';

/** '编辑文字后发布 · 审核中 → 已发布': what happened and the state it led to. */
function entryTitle(entry: TimelineEntry): string {
  const state = (value: string | null) => (value ? label(stateLabel, value) : undefined);
  const from = state(entry.from);
  const to = state(entry.to);
  const change = from && to && from !== to ? `${from} → ${to}` : to;
  return [label(actionLabel, entry.action), change].filter(Boolean).join(' · ');
}

/** The service starts its CSV with a byte-order mark for Excel; text views and the clipboard do without. */
const withoutBom = (csv: string) => csv.replace(/^\uFEFF/, '');

/** The H5 build: save the CSV as a file, as a download link would (with the mark Excel needs for Chinese). */
function saveFile(csv: string, filename: string): void {
  const url = URL.createObjectURL(new Blob(['\uFEFF', withoutBom(csv)], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * 导出 for staff. WeChat cannot open a CSV as a document: the text shows here to copy into a message or
 * a spreadsheet. In a browser it downloads as a file.
 */
function Export({ noticeId }: { noticeId: string }) {
  const [exporting, setExporting] = useState(false);
  const [csv, setCsv] = useState<string>();

  const exportCsv = async () => {
    setExporting(true);
    try {
      const text = await platformApi.noticeTimelineCsv(noticeId);
      if (inWechat()) setCsv(withoutBom(text));
      else saveFile(text, `timeline-notice-${noticeId}.csv`);
    } catch (err) {
      toastError(err);
    } finally {
      setExporting(false);
    }
  };
  const copy = () =>
    void Taro.setClipboardData({ data: csv ?? '' }).then(
      () => toastSuccess('已复制'),
      () => undefined,
    );

  return (
    <View className="card timeline-page__export">
      <AtButton size="small" loading={exporting} disabled={exporting} onClick={exportCsv}>
        {exporting ? '导出中…' : '导出 CSV'}
      </AtButton>
      {csv !== undefined && (
        <>
          <ScrollView className="timeline-page__csv" scrollY scrollX>
            <Text userSelect>{csv}</Text>
          </ScrollView>
          <AtButton size="small" type="primary" onClick={copy}>
            复制到剪贴板
          </AtButton>
        </>
      )}
    </View>
  );
}

function NoticeTimeline({ noticeId, title }: { noticeId: string; title: string | undefined }) {
  const load = useCallback(() => platformApi.noticeTimeline(noticeId), [noticeId]);
  const { data, loading, error, reload } = useRequest(load);
  const { me } = useSession();
  const exports = grantsFor(me, 'timeline.export').length > 0;
  return (
    <PageState loading={loading} error={error} onRetry={reload} empty={data?.length === 0} emptyText="暂无记录">
      {data && (
        <View className="card">
          {title && <Text className="timeline-page__title">公告「{title}」</Text>}
          <Timeline entries={data} label={entryTitle} />
        </View>
      )}
      {exports && <Export noticeId={noticeId} />}
    </PageState>
  );
}

/** A query value as sent; one a platform already decoded ("50%") is left as it is. */
function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export default function TimelinePage() {
  const { params } = useRouter();
  return (
    <View className="timeline-page">
      <RequireLogin text="登录后查看公告的处理记录">
        <NoticeTimeline noticeId={params.notice ?? ''} title={params.title && decoded(params.title)} />
      </RequireLogin>
    </View>
  );
}
