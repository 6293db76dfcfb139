import { Text } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { AtButton, AtInput, AtSwitch } from 'taro-ui';
import type { HandlerKind, Priority } from '../../../../shared/reports';
import type { NodeRef } from '../../../../shared/schemas/people';
import type { CategoryView } from '../../../../shared/schemas/reports';
// First: the console's login prompt keeps its stylesheet ahead of page-state's, as on the other pages.
import { ConsolePage, Row, Section, Split } from '../components/console';
import { ChoiceChips } from '../../../components/choice-chips';
import { FormError } from '../../../components/form-error';
import { PageState } from '../../../components/page-state';
import { useRequest } from '../../../hooks/use-request';
import { useSubmit } from '../../../hooks/use-submit';
import { reportApi } from '../../../services/api';
import { manageApi } from '../../../services/manage-api';
import { toastSuccess } from '../../../utils/toast';

const handlers: { value: HandlerKind; label: string }[] = [
  { value: 'grid_worker', label: '网格员' },
  { value: 'property', label: '物业' },
  { value: 'staff', label: '社区' },
  { value: 'mediator', label: '调解员' },
];
const priorities: { value: Priority; label: string }[] = [
  { value: 'urgent', label: '紧急' },
  { value: 'high', label: '较急' },
  { value: 'normal', label: '一般' },
];
const NEW = '+new';
/** The numbers staff type: deadlines in hours (sent in minutes), the duplicate radius in metres. */
const limits = [
  { key: 'acceptHours', title: '受理时限', unit: '小时', type: 'digit' },
  { key: 'resolveHours', title: '办结时限', unit: '小时', type: 'digit' },
  { key: 'radius', title: '查重半径', unit: '米', type: 'number' },
] as const;

interface Typed {
  code: string;
  name: string;
  handler: HandlerKind;
  priority: Priority;
  acceptHours: string;
  resolveHours: string;
  radius: string;
  privateByDefault: boolean;
}

const typedOf = (c?: CategoryView): Typed => ({
  code: c?.code ?? '',
  name: c?.name ?? '',
  handler: (c?.handler as HandlerKind) ?? 'grid_worker',
  priority: (c?.priority as Priority) ?? 'normal',
  acceptHours: c ? String(c.acceptWithinMinutes / 60) : '2',
  resolveHours: c ? String(c.resolveWithinMinutes / 60) : '48',
  radius: c ? String(c.duplicateRadiusMeters) : '50',
  privateByDefault: c?.privateByDefault ?? false,
});

/** What is wrong, in words, or the fields to send (deadlines typed in hours, sent in minutes). */
function check(typed: Typed, isNew: boolean) {
  if (isNew && !/^[a-z][a-z0-9_]{1,19}$/.test(typed.code)) return '代码为 2–20 位小写字母、数字或下划线，字母开头';
  if (typed.name.trim().length < 2 || typed.name.trim().length > 12) return '名称为 2–12 个字';
  const accept = Math.round(Number(typed.acceptHours) * 60);
  const resolve = Math.round(Number(typed.resolveHours) * 60);
  const radius = Number(typed.radius);
  if (!(accept >= 5 && accept <= 30 * 24 * 60)) return '受理时限为 0.1–720 小时';
  if (!(resolve >= 5 && resolve <= 90 * 24 * 60)) return '办结时限为 0.1–2160 小时';
  if (!Number.isInteger(radius) || radius < 0 || radius > 1000) return '查重半径为 0–1000 米的整数';
  return {
    name: typed.name.trim(),
    handler: typed.handler,
    priority: typed.priority,
    acceptWithinMinutes: accept,
    resolveWithinMinutes: resolve,
    duplicateRadiusMeters: radius,
    privateByDefault: typed.privateByDefault,
  };
}

function CategoryForm({
  community,
  category,
  onSaved,
}: {
  community: NodeRef;
  category?: CategoryView;
  onSaved: (saved: CategoryView) => void;
}) {
  const [typed, setTyped] = useState(() => typedOf(category));
  const set = <K extends keyof Typed>(key: K, value: Typed[K]) => setTyped((t) => ({ ...t, [key]: value }));
  const { busy, error, setError, run } = useSubmit();
  const save = async () => {
    const fields = check(typed, !category);
    if (typeof fields === 'string') return setError(fields);
    const saved = await run(() =>
      category
        ? manageApi.updateCategory(community.id, category.code, fields)
        : manageApi.createCategory(community.id, { code: typed.code, ...fields }),
    );
    if (saved) {
      toastSuccess(category ? '已保存' : '已添加');
      onSaved(saved);
    }
  };
  return (
    <Section title={category ? `${category.name} · ${category.code}` : '新增分类'}>
      {!category && (
        <AtInput
          name="code"
          title="代码"
          placeholder="如 pets（英文，建后不可改）"
          value={typed.code}
          disabled={busy}
          onChange={(v: string) => set('code', v.trim())}
        />
      )}
      <AtInput
        name="name"
        title="名称"
        placeholder="2–12 个字"
        value={typed.name}
        disabled={busy}
        onChange={(v: string) => set('name', v)}
      />
      <Text className="manage__label">处理人</Text>
      <ChoiceChips options={handlers} value={typed.handler} onChange={(v) => set('handler', v)} disabled={busy} />
      <Text className="manage__label">优先级</Text>
      <ChoiceChips options={priorities} value={typed.priority} onChange={(v) => set('priority', v)} disabled={busy} />
      {limits.map((limit) => (
        <AtInput
          key={limit.key}
          name={limit.key}
          title={limit.title}
          type={limit.type}
          value={typed[limit.key]}
          disabled={busy}
          onChange={(v: string) => set(limit.key, v)}
        >
          <Text>{limit.unit}</Text>
        </AtInput>
      ))}
      <Text className="manage__note">附近这么远内有同类未办结的报事，居民提交前会先看到它</Text>
      <AtSwitch
        title="默认仅处理人员可见"
        checked={typed.privateByDefault}
        disabled={busy}
        onChange={(v: boolean) => set('privateByDefault', v)}
      />
      <FormError message={error} />
      <AtButton type="primary" loading={busy} disabled={busy} onClick={save}>
        {busy ? '保存中…' : category ? '保存' : '添加分类'}
      </AtButton>
    </Section>
  );
}

function Categories({ community }: { community: NodeRef }) {
  const load = useCallback(() => reportApi.categories(community.id), [community.id]);
  const { data, loading, error, reload, update } = useRequest(load);
  const [chosen, setChosen] = useState<string>();
  const category = data?.find((c) => c.code === chosen);
  const saved = (c: CategoryView) => {
    update((list = []) =>
      list.some((x) => x.code === c.code) ? list.map((x) => (x.code === c.code ? c : x)) : [...list, c],
    );
    setChosen(c.code);
  };
  const label = (c: CategoryView) =>
    `${handlers.find((h) => h.value === c.handler)?.label ?? c.handler} · 受理 ${c.acceptWithinMinutes / 60} 小时 · 办结 ${c.resolveWithinMinutes / 60} 小时`;
  return (
    <Split
      list={
        <Section
          title="问题分类"
          extra={
            <Text className="manage__link" onClick={() => setChosen(NEW)}>
              新增分类
            </Text>
          }
        >
          <PageState loading={loading} error={error} onRetry={reload}>
            {data?.map((c) => (
              <Row
                key={c.code}
                title={`${c.name}${c.privateByDefault ? '（默认不公开）' : ''}`}
                note={label(c)}
                active={c.code === chosen}
                onOpen={() => setChosen(c.code)}
              />
            ))}
          </PageState>
        </Section>
      }
      detail={
        chosen === NEW ? (
          <CategoryForm key={NEW} community={community} onSaved={saved} />
        ) : (
          category && <CategoryForm key={category.code} community={community} category={category} onSaved={saved} />
        )
      }
    />
  );
}

/** 问题分类: a community's report categories with handler, priority, deadlines, duplicate radius and privacy. */
export default function ManageCategoriesPage() {
  return (
    <ConsolePage action="report.categories" login="登录后管理问题分类">
      {(community) => <Categories community={community} />}
    </ConsolePage>
  );
}
