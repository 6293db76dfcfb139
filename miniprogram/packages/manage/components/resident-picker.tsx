import { Text } from '@tarojs/components';
import { useCallback } from 'react';
import { relationLabel } from '../../../../shared/places';
import type { Resident } from '../../../../shared/schemas/manage';
import { PageState } from '../../../components/page-state';
import { useRequest } from '../../../hooks/use-request';
import { manageApi } from '../../../services/manage-api';
import { Row } from './console';

/** Whom to give a role: the residents under `nodeId` (masked names), one chosen. */
export function ResidentPicker({
  nodeId,
  value,
  onChange,
}: {
  nodeId: string;
  value: string | undefined;
  onChange: (userId: string) => void;
}) {
  const load = useCallback(() => manageApi.residents(nodeId), [nodeId]);
  const { data, loading, error, reload } = useRequest(load);
  // One person may live in several rooms: list them once.
  const people = [...new Map((data ?? []).map((r) => [r.userId, r])).values()];
  return (
    <PageState
      loading={loading}
      error={error}
      onRetry={reload}
      empty={people.length === 0}
      emptyText="这里还没有住户：先邀请住户加入，再为其授予角色"
    >
      {people.map((r: Resident) => (
        <Row
          key={r.userId}
          title={r.displayName}
          note={`${r.unit.path.slice(1).join(' ')} ${r.room}室 · ${relationLabel[r.relation]}${r.phoneMasked ? ` · ${r.phoneMasked}` : ''}`}
          active={r.userId === value}
          onOpen={() => onChange(r.userId)}
          action={<Text className="manage__link">{r.userId === value ? '已选' : '选择'}</Text>}
        />
      ))}
    </PageState>
  );
}
