import { Text, View } from '@tarojs/components';
import { useCallback } from 'react';
import { PageState } from '../../../components/page-state';
import { useRequest } from '../../../hooks/use-request';
import { api } from '../../../services/api';
import { formatTime, roleText } from '../../../utils/format';

/** What an edited notice said before each edit, newest first: who changed it and when. */
export function NoticeVersions({ noticeId }: { noticeId: string }) {
  const load = useCallback(() => api.noticeVersions(noticeId), [noticeId]);
  const { data, loading, error, reload } = useRequest(load);
  return (
    <View className="notice-versions" onClick={(event) => event.stopPropagation()}>
      <PageState loading={loading} error={error} onRetry={reload} empty={data?.length === 0} emptyText="没有修改记录">
        {data?.map((version) => (
          <View key={version.replacedAt} className="notice-versions__item">
            <Text className="notice-versions__when">
              {formatTime(version.replacedAt)} {roleText(version.editor.role)} {version.editor.displayName} 修改前：
            </Text>
            <Text className="notice-versions__title">{version.title}</Text>
            <Text className="notice-versions__body">{version.body}</Text>
          </View>
        ))}
      </PageState>
    </View>
  );
}
