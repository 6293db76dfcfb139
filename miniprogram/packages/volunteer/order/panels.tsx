import { Input, Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { AtButton, AtRate, AtTextarea } from 'taro-ui';
import type { OrderView } from '../../../../shared/schemas/volunteers';
import { PageState } from '../../../components/page-state';
import type { Run as MoveRun } from '../../../hooks/use-moves';
import { useRequest } from '../../../hooks/use-request';
import { volunteerApi } from '../../../services/volunteer-api';

/**
 * Runs a move on the order: the page shows it pending, applies the answer or says why it failed (what was
 * typed stays). Resolves to whether it went through.
 */
export type Run = MoveRun<OrderView>;

/** 派单: the ranked volunteers with why each ranks there, 派给TA, or open the order to all who qualify. */
export function SuggestionsPanel({ order, run, busy }: { order: OrderView; run: Run; busy: boolean }) {
  const load = useCallback(() => volunteerApi.suggestions(order.id), [order.id]);
  const suggestions = useRequest(load);
  return (
    <View className="card volunteer-order__panel">
      <Text className="volunteer-order__panel-title">推荐志愿者</Text>
      <PageState
        loading={suggestions.loading}
        error={suggestions.error}
        onRetry={suggestions.reload}
        empty={suggestions.data?.length === 0}
        emptyText="暂无可派的志愿者，可以公开给志愿者认领"
      >
        {suggestions.data?.map((s, i) => (
          <View key={s.volunteerId} className="suggestion">
            <View className="suggestion__head">
              <Text className="suggestion__rank">{i + 1}</Text>
              <Text className="suggestion__name">{s.displayName}</Text>
              <Text className="suggestion__stars">{'★'.repeat(s.stars)}</Text>
              <Text className="suggestion__score">{s.score} 分</Text>
            </View>
            <Text className="suggestion__reasons">{s.reasons.join(' · ')}</Text>
            <AtButton
              size="small"
              type={i === 0 ? 'primary' : 'secondary'}
              disabled={busy}
              onClick={() => run('已派单', () => volunteerApi.dispatch(order.id, s.volunteerId))}
            >
              派给TA
            </AtButton>
          </View>
        ))}
      </PageState>
      {order.actions.includes('publish') && (
        <AtButton disabled={busy} onClick={() => run('已公开', () => volunteerApi.publish(order.id))}>
          公开给志愿者认领
        </AtButton>
      )}
    </View>
  );
}

/** The volunteer at the door: the six digits the resident's phone shows. */
export function CodeEntry({ order, run, busy }: { order: OrderView; run: Run; busy: boolean }) {
  const [code, setCode] = useState('');
  const checkIn = order.actions.includes('check_in');
  const submit = async () => {
    const done = await run(checkIn ? '已签到' : '已签退', () =>
      checkIn ? volunteerApi.checkIn(order.id, code) : volunteerApi.checkOut(order.id, code),
    );
    if (done) setCode('');
  };
  return (
    <View className="card volunteer-order__panel">
      <Text className="volunteer-order__panel-title">{checkIn ? '上门签到' : '服务签退'}</Text>
      <Text className="volunteer-order__note">请居民打开本单，把手机上的 6 位服务码告诉您</Text>
      <Input
        className="volunteer-order__code-input"
        type="number"
        maxlength={6}
        value={code}
        placeholder="6 位服务码"
        onInput={(e) => setCode(e.detail.value.replace(/\D/g, ''))}
      />
      <AtButton type="primary" loading={busy} disabled={busy || code.length !== 6} onClick={submit}>
        {checkIn ? '签到' : '签退'}
      </AtButton>
    </View>
  );
}

const scoreWords = ['', '很不满意', '不满意', '一般', '满意', '非常满意'];

/** 评单: 1–5 stars and a comment; kept when sending fails. */
export function RatePanel({ order, run, busy }: { order: OrderView; run: Run; busy: boolean }) {
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  return (
    <View className="card volunteer-order__panel">
      <Text className="volunteer-order__panel-title">评价本次服务</Text>
      <View className="volunteer-order__rate">
        <AtRate value={score} size={28} onChange={(value: number) => !busy && setScore(value)} />
        <Text>{scoreWords[score]}</Text>
      </View>
      <AtTextarea
        value={comment}
        maxLength={200}
        height={120}
        disabled={busy}
        placeholder="说说志愿者的服务（选填）"
        onChange={(value: string) => setComment(value)}
      />
      <AtButton
        type="primary"
        loading={busy}
        disabled={busy || score === 0}
        onClick={() => run('感谢评价', () => volunteerApi.rate(order.id, score, comment.trim()))}
      >
        提交评价
      </AtButton>
    </View>
  );
}

/** A complaint goes to community staff; upheld, the service's hours are voided. */
export function ComplainPanel({ order, run, busy }: { order: OrderView; run: Run; busy: boolean }) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  if (!open)
    return (
      <AtButton size="small" onClick={() => setOpen(true)}>
        投诉
      </AtButton>
    );
  return (
    <View className="card volunteer-order__panel">
      <Text className="volunteer-order__panel-title">投诉本次服务</Text>
      <AtTextarea
        value={text}
        maxLength={500}
        height={160}
        disabled={busy}
        placeholder="请说明情况，社区工作人员会核实处理"
        onChange={(value: string) => setText(value)}
      />
      <AtButton
        type="primary"
        loading={busy}
        disabled={busy || [...text.trim()].length < 2}
        onClick={() => run('已提交投诉', () => volunteerApi.complain(order.id, text.trim()))}
      >
        提交投诉
      </AtButton>
    </View>
  );
}

/** Staff decide a complaint with a note; upheld, the service's hours are voided. */
export function ComplaintDecision({ order, run, busy }: { order: OrderView; run: Run; busy: boolean }) {
  const [note, setNote] = useState('');
  const ready = !busy && [...note.trim()].length >= 2;
  const decide = (upheld: boolean) => run('已处理', () => volunteerApi.decideComplaint(order.id, upheld, note.trim()));
  return (
    <View className="card volunteer-order__panel">
      <Text className="volunteer-order__panel-title">处理投诉</Text>
      <AtTextarea
        value={note}
        maxLength={200}
        height={120}
        disabled={busy}
        placeholder="核实情况（居民和志愿者都会看到）"
        onChange={(value: string) => setNote(value)}
      />
      <AtButton type="primary" disabled={!ready} onClick={() => decide(true)}>
        投诉成立，作废时长
      </AtButton>
      <AtButton disabled={!ready} onClick={() => decide(false)}>
        投诉不成立
      </AtButton>
    </View>
  );
}

/** Staff add the hours by hand (a forgotten check-out…): minutes within the window and a reason, marked as such. */
export function ManualHoursPanel({ order, run, busy }: { order: OrderView; run: Run; busy: boolean }) {
  const [minutes, setMinutes] = useState('');
  const [reason, setReason] = useState('');
  const span = Math.round((Date.parse(order.windowEnd) - Date.parse(order.windowStart)) / 60_000);
  const value = Number(minutes);
  const ready = !busy && value >= 1 && value <= span && [...reason.trim()].length >= 2;
  return (
    <View className="card volunteer-order__panel">
      <Text className="volunteer-order__panel-title">补录服务时长</Text>
      <Text className="volunteer-order__note">最多 {span} 分钟（本单时段），须写明原因，记录会标明人工补录</Text>
      <Input
        className="volunteer-order__code-input"
        type="number"
        value={minutes}
        placeholder="分钟"
        onInput={(e) => setMinutes(e.detail.value.replace(/\D/g, ''))}
      />
      <AtTextarea
        value={reason}
        maxLength={200}
        height={100}
        disabled={busy}
        placeholder="原因，例如：居民手机没电，电话核实已服务"
        onChange={(v: string) => setReason(v)}
      />
      <AtButton
        type="primary"
        disabled={!ready}
        onClick={() => run('已补录', () => volunteerApi.manualHours(order.id, value, reason.trim()))}
      >
        补录
      </AtButton>
    </View>
  );
}
