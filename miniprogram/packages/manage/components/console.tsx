import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import type { ReactNode } from 'react';
import type { useConfirmedAction } from '../../../hooks/use-confirmed-action';
import type { Action } from '../../../../shared/roles';
import type { NodeRef } from '../../../../shared/schemas/people';
import { RequireLogin } from '../../../components/login-prompt';
import { StaffCommunity } from '../../../components/staff-community';
import '../manage.scss';

/**
 * A 管理 page: logged in, for one of the communities the user holds `action` for (the one in `?community=` first),
 * with a chooser when there are several.
 */
export function ConsolePage({
  action,
  login,
  emptyText = '您在这里没有管理权限',
  children,
}: {
  action: Action;
  login: string;
  emptyText?: string;
  children: (community: NodeRef) => ReactNode;
}) {
  const { params } = useRouter();
  return (
    <View className="manage">
      <RequireLogin text={login}>
        <StaffCommunity
          action={action}
          emptyText={emptyText}
          className="manage__communities"
          initial={params.community}
        >
          {children}
        </StaffCommunity>
      </RequireLogin>
    </View>
  );
}

/**
 * A list beside its detail: side by side from 1024 px wide (H5 on a desk), one above the other on a phone, where
 * `detail` shows first once something is chosen.
 */
export function Split({ list, detail }: { list: ReactNode; detail?: ReactNode }) {
  return (
    <View className={`manage__split${detail ? ' manage__split--chosen' : ''}`}>
      <View className="manage__list">{list}</View>
      <View className="manage__detail">{detail ?? <Text className="manage__hint">从左侧选择一项查看详情</Text>}</View>
    </View>
  );
}

/** A titled white card of a console page. */
export function Section({ title, extra, children }: { title: string; extra?: ReactNode; children: ReactNode }) {
  return (
    <View className="manage__section">
      <View className="manage__section-head">
        <Text className="manage__section-title">{title}</Text>
        {extra}
      </View>
      {children}
    </View>
  );
}

/** A row of a console list: a title and a grey note; tapping opens it (›) when `onOpen` is given, else `action`. */
export function Row({
  title,
  note,
  active = false,
  onOpen,
  action,
}: {
  title: ReactNode;
  note?: ReactNode;
  active?: boolean;
  onOpen?: () => void;
  action?: ReactNode;
}) {
  return (
    <View className={`manage__row${active ? ' manage__row--active' : ''}`} onClick={onOpen}>
      <View className="manage__row-main">
        <Text>{title}</Text>
        {note && <Text className="manage__note">{note}</Text>}
      </View>
      {action ?? (onOpen && <Text className="manage__link">›</Text>)}
    </View>
  );
}

/** 撤销 or 移除 on a row: asks first, then acts, then says it was done (`confirm` holds which row is pending). */
export function ConfirmLink({
  id,
  label,
  ask,
  act,
  confirm,
}: {
  id: string;
  label: string;
  ask: { title: string; content: string };
  act: () => Promise<void>;
  confirm: ReturnType<typeof useConfirmedAction>;
}) {
  return (
    <Text className="manage__link" onClick={() => void confirm.run(id, ask, act, `已${label}`)}>
      {confirm.pending === id ? `${label}中…` : label}
    </Text>
  );
}
