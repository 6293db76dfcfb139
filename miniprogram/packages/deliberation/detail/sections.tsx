import { Text, View } from '@tarojs/components';
import { AtButton, AtInput, AtRate, AtTextarea } from 'taro-ui';
import { useState } from 'react';
import type { TopicView } from '../../../../shared/schemas/deliberation';
import { ChoiceChips } from '../../../components/choice-chips';
import { FormError } from '../../../components/form-error';
import { PhotoGrid } from '../../../components/photo-grid';
import { PhotoUploader, usePhotoUploads } from '../../../components/photo-uploader';
import { useSubmit } from '../../../hooks/use-submit';
import { deliberationApi } from '../../../services/deliberation-api';
import { formatDateTime } from '../../../utils/format';
import { openPage, routes } from '../../../utils/routes';
import { toastError, toastSuccess } from '../../../utils/toast';
import { ProgressBar, TurnoutBars } from '../components';

type Props = { topic: TopicView; onTopic: (topic: TopicView) => void };

/** Runs a move that answers the topic; the page shows the answer, a failure says why. */
function useMove({ onTopic }: Pick<Props, 'onTopic'>) {
  const submit = useSubmit();
  const run = async (call: () => Promise<TopicView>, done: string) => {
    const topic = await submit.run(call);
    if (!topic) return false;
    onTopic(topic);
    toastSuccess(done);
    return true;
  };
  return { busy: submit.busy, error: submit.error, run };
}

/** 附议 with a progress bar to the threshold; captains and staff may adopt it outright. */
export function Cosign({ topic, onTopic }: Props) {
  const { busy, error, run } = useMove({ onTopic });
  const { households, threshold, deadline, mine } = topic.cosign;
  return (
    <View className="delib-card">
      <Text className="delib-card__title">征集附议</Text>
      <ProgressBar value={households} max={threshold} text={`已有 ${households} 户附议，需 ${threshold} 户`} />
      <Text className="delib-card__note">
        截止 {formatDateTime(deadline)}
        {mine ? ' · 我家已附议' : ''}
      </Text>
      <FormError message={error} />
      <View className="delib-card__actions">
        {topic.actions.includes('cosign') && (
          <AtButton
            type="primary"
            size="small"
            loading={busy}
            disabled={busy}
            onClick={() => run(() => deliberationApi.cosign(topic.id), '已附议')}
          >
            附议
          </AtButton>
        )}
        {topic.actions.includes('adopt') && (
          <AtButton size="small" disabled={busy} onClick={() => run(() => deliberationApi.adopt(topic.id), '已采纳')}>
            采纳为议题
          </AtButton>
        )}
      </View>
    </View>
  );
}

/** 四议两公开: each stage with who and when; staff record the next one, never skipping. */
export function Stages({ topic, onTopic }: Props) {
  const { busy, error, run } = useMove({ onTopic });
  const next = topic.stages.find((s) => !s.at);
  return (
    <View className="delib-card">
      <Text className="delib-card__title">四议两公开</Text>
      {topic.stages.map((s) => (
        <View key={s.name} className={`delib-figure${s.at ? '' : ' delib-figure--fail'}`}>
          <Text>
            {s.at ? '✓ ' : '○ '}
            {s.name}
          </Text>
          <Text>{s.at ? `${s.by ?? ''} ${formatDateTime(s.at)}` : '待进行'}</Text>
        </View>
      ))}
      <FormError message={error} />
      {next && topic.actions.includes('stage') && (
        <AtButton
          size="small"
          loading={busy}
          disabled={busy}
          onClick={() => run(() => deliberationApi.stage(topic.id, next.name), '已记录')}
        >
          记录「{next.name}」
        </AtButton>
      )}
    </View>
  );
}

const DAYS = [
  { value: '1', label: '1天' },
  { value: '3', label: '3天' },
  { value: '7', label: '7天' },
  { value: '14', label: '14天' },
];
const RULES: { value: 'simple' | 'two_thirds'; label: string }[] = [
  { value: 'simple', label: '过半数' },
  { value: 'two_thirds', label: '三分之二' },
];
const QUORUMS = [
  { value: '0', label: '不设' },
  { value: '50', label: '50%' },
  { value: '67', label: '三分之二' },
];

/** The captain's form to open the ballot: how long, and for public affairs the rule and quorum. */
function OpenBallot({ topic, onTopic }: Props) {
  const { busy, error, run } = useMove({ onTopic });
  const [days, setDays] = useState('7');
  const [rule, setRule] = useState<'simple' | 'two_thirds'>('simple');
  const [quorum, setQuorum] = useState('0');
  // One choice per line; none means 赞成 / 反对 / 弃权.
  const [choices, setChoices] = useState('');
  const owners = topic.kind !== 'public';
  const listed = choices
    .split('\n')
    .map((c) => c.trim())
    .filter(Boolean);
  const open = () =>
    run(
      () =>
        deliberationApi.openBallot(topic.id, {
          closesAt: new Date(Date.now() + Number(days) * 24 * 3600_000).toISOString(),
          ...(owners ? {} : { rule, quorumPercent: Number(quorum) }),
          ...(listed.length > 0 ? { choices: listed } : {}),
        }),
      '投票已开始',
    );
  return (
    <View className="delib-card">
      <Text className="delib-card__title">发起投票</Text>
      <Text className="delib-card__note">投票时长</Text>
      <ChoiceChips options={DAYS} value={days} onChange={setDays} />
      {owners ? (
        <Text className="delib-card__note">业主事项按《民法典》第278条计票，选项为赞成、反对、弃权，仅业主可投。</Text>
      ) : (
        <View>
          <Text className="delib-card__note">通过规则</Text>
          <ChoiceChips options={RULES} value={rule} onChange={setRule} />
          <Text className="delib-card__note">最低投票率</Text>
          <ChoiceChips options={QUORUMS} value={quorum} onChange={setQuorum} />
          <AtTextarea
            value={choices}
            maxLength={330}
            height={120}
            placeholder="多个方案时每行写一个（2–10个）；留空则为赞成/反对/弃权"
            onChange={setChoices}
          />
        </View>
      )}
      <FormError message={error} />
      <AtButton
        type="primary"
        size="small"
        loading={busy}
        disabled={busy || listed.length === 1 || listed.length > 10}
        onClick={open}
      >
        开始投票
      </AtButton>
    </View>
  );
}

const STATE_TEXT = { scheduled: '未开始', open: '投票中', closed: '已截止' };

/** 民决: the ballot's rule, live turnout (never counts by option before close), and where to vote or read results. */
export function BallotSection({ topic, onTopic }: Props) {
  const ballot = topic.ballot;
  if (!ballot) return topic.actions.includes('open_ballot') ? <OpenBallot topic={topic} onTopic={onTopic} /> : null;
  return (
    <View className="delib-card">
      <Text className="delib-card__title">投票表决 · {STATE_TEXT[ballot.state]}</Text>
      <Text className="delib-card__note">{ballot.ruleText}</Text>
      <Text className="delib-card__note">截止 {formatDateTime(ballot.closesAt)}</Text>
      <TurnoutBars turnout={ballot.turnout} />
      {ballot.mine && (
        <Text className="delib-card__note">
          我家已投：{ballot.options.find((o) => o.key === ballot.mine!.choice)?.label}
          {ballot.mine.proxy ? '（楼长代投）' : ''} · 回执码 {ballot.mine.receipt}
        </Text>
      )}
      <View className="delib-card__actions">
        {(topic.actions.includes('vote') || topic.actions.includes('proxy')) && (
          <AtButton type="primary" size="small" onClick={() => openPage(routes.ballot(topic.id))}>
            {topic.actions.includes('vote') ? (ballot.mine ? '修改投票' : '去投票') : '代投与催投'}
          </AtButton>
        )}
        {ballot.result && (
          <AtButton type="primary" size="small" onClick={() => openPage(routes.results(topic.id))}>
            查看结果
          </AtButton>
        )}
      </View>
    </View>
  );
}

/** 民办 and 民评: owner and plan, progress with photos, done, and the 1–5 rating. */
export function Implementation({ topic, onTopic }: Props) {
  const { busy, error, run } = useMove({ onTopic });
  const [owner, setOwner] = useState('');
  const [plan, setPlan] = useState('');
  const [note, setNote] = useState('');
  const photos = usePhotoUploads({ max: 3 });
  const impl = topic.implementation;
  const report = async (done: boolean) => {
    if (photos.uploading) return;
    const sent = await run(
      () => deliberationApi.progress(topic.id, { note: note.trim(), mediaIds: photos.mediaIds }, done),
      done ? '已完成' : '已更新',
    );
    if (sent) setNote('');
  };
  if (!impl && !topic.actions.includes('implement')) return null;
  return (
    <View className="delib-card">
      <Text className="delib-card__title">实施（民办）</Text>
      {impl ? (
        <View>
          <Text className="delib-card__text">负责人：{impl.owner}</Text>
          <Text className="delib-card__text">计划：{impl.plan}</Text>
          {impl.updates.map((u) => (
            <View key={u.at}>
              <Text className="delib-card__note">{formatDateTime(u.at)}</Text>
              <Text className="delib-card__text">{u.note}</Text>
              {u.media.length > 0 && (
                <PhotoGrid media={u.media} className="delib-card__actions" photoClassName="delib-photo" />
              )}
            </View>
          ))}
        </View>
      ) : (
        <View>
          <AtInput name="owner" title="负责人" value={owner} onChange={(v: string) => setOwner(v)} />
          <AtTextarea value={plan} maxLength={1000} height={120} placeholder="实施计划" onChange={setPlan} />
          <AtButton
            size="small"
            type="primary"
            loading={busy}
            disabled={busy}
            onClick={() =>
              run(() => deliberationApi.implement(topic.id, { owner: owner.trim(), plan: plan.trim() }), '已安排')
            }
          >
            确定负责人和计划
          </AtButton>
        </View>
      )}
      {topic.actions.includes('progress') && (
        <View>
          <AtTextarea value={note} maxLength={500} height={100} placeholder="进展情况" onChange={setNote} />
          <PhotoUploader photos={photos} disabled={busy} hint="可附进展照片" />
          <View className="delib-card__actions">
            <AtButton size="small" disabled={busy || note.trim().length < 2} onClick={() => report(false)}>
              更新进展
            </AtButton>
            <AtButton
              size="small"
              type="primary"
              disabled={busy || note.trim().length < 2}
              onClick={() => report(true)}
            >
              标记完成
            </AtButton>
          </View>
        </View>
      )}
      <FormError message={error} />
      <Rating topic={topic} onTopic={onTopic} />
    </View>
  );
}

function Rating({ topic, onTopic }: Props) {
  const rating = topic.rating;
  if (!rating) return null;
  if (rating.published) {
    const { averageTenths, households } = rating.published;
    return (
      <Text className="delib-card__text">
        实施结果已公开：{households} 户评价，平均 {Math.floor(averageTenths / 10)}.{averageTenths % 10} 分
      </Text>
    );
  }
  const rate = (score: number) =>
    deliberationApi.rate(topic.id, score).then((t) => {
      onTopic(t);
      toastSuccess('已评价');
    }, toastError);
  return (
    <View>
      <Text className="delib-card__note">居民评价（民评）截止 {formatDateTime(rating.closesAt)}</Text>
      {topic.actions.includes('rate') && (
        <AtRate value={rating.mine ?? 0} size={28} onChange={(score: number) => void rate(score)} />
      )}
    </View>
  );
}
