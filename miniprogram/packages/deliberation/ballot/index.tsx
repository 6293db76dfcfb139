import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { AtButton, AtInput } from 'taro-ui';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { NonVoter, TopicView } from '../../../../shared/schemas/deliberation';
import { ChoiceChips } from '../../../components/choice-chips';
import { FormError } from '../../../components/form-error';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { useRequest } from '../../../hooks/use-request';
import { useSubmit } from '../../../hooks/use-submit';
import { deliberationApi } from '../../../services/deliberation-api';
import { askToSubscribe, prepareSubscribe } from '../../../services/subscribe';
import { formatDateTime, placePath } from '../../../utils/format';
import { toastSuccess } from '../../../utils/toast';
import { TurnoutBars } from '../components';
import '../deliberation.scss';

type Ballot = NonNullable<TopicView['ballot']>;

/** My household's ballot: the options, the rule in plain words, changeable until close; the receipt when cast. */
function Vote({ topic, ballot, onCast }: { topic: TopicView; ballot: Ballot; onCast: () => void }) {
  const [choice, setChoice] = useState(ballot.mine?.choice ?? '');
  const { busy: sending, error, run } = useSubmit();
  const [receipt, setReceipt] = useState(ballot.mine?.receipt);
  useEffect(prepareSubscribe, []);
  async function cast() {
    // From the tap itself, as WeChat requires: the result, published at close, may then come by message.
    void askToSubscribe(['topic.updated']);
    const answer = await run(() => deliberationApi.vote(topic.id, choice, ballot.mine?.householdId));
    if (!answer) return;
    setReceipt(answer.receipt);
    toastSuccess('投票成功');
    onCast();
  }
  return (
    <View className="delib-card">
      <Text className="delib-card__title">我家的选择</Text>
      <ChoiceChips
        options={ballot.options.map((o) => ({ value: o.key, label: o.label }))}
        value={choice}
        onChange={setChoice}
      />
      {ballot.mine?.proxy && (
        <Text className="delib-card__note">楼长已为您家代投；您可以自己重新选择，以您的选择为准。</Text>
      )}
      <FormError message={error} />
      <AtButton type="primary" loading={sending} disabled={sending || !choice} onClick={cast}>
        {sending ? '提交中…' : ballot.mine ? '修改投票' : '确认投票'}
      </AtButton>
      {receipt && (
        <Text className="delib-card__note">
          回执码：{receipt}。请记下它，投票截止后可凭回执码核对您家的选票已被计入（不显示是谁投的）。
        </Text>
      )}
    </View>
  );
}

/** The captain's view: households of my building that have not voted, and a proxy ballot with its note. */
function Captain({ topic, ballot, onCast }: { topic: TopicView; ballot: Ballot; onCast: () => void }) {
  const load = useCallback(() => deliberationApi.nonVoters(topic.id), [topic.id]);
  const waiting = useRequest(load);
  // A ballot cast meanwhile (mine on this page, or anyone's seen on refresh) changes who is still waiting.
  const { refresh } = waiting;
  const loaded = useRef(false);
  useEffect(() => {
    if (loaded.current) void refresh();
    loaded.current = true;
  }, [ballot.turnout.votedHouseholds, refresh]);
  const [household, setHousehold] = useState<NonVoter>();
  const [choice, setChoice] = useState('');
  const [note, setNote] = useState('');
  const { busy: sending, error, run } = useSubmit();
  const reminder = useSubmit();
  async function remind() {
    const answer = await reminder.run(() => deliberationApi.remind(topic.id));
    if (answer) toastSuccess(`已提醒${answer.households}户`);
  }

  async function record() {
    if (!household) return;
    const { householdId } = household;
    const cast = await run(() => deliberationApi.proxy(topic.id, { householdId, choice, note: note.trim() }));
    if (!cast) return;
    toastSuccess('已代投');
    setHousehold(undefined);
    setChoice('');
    setNote('');
    waiting.update((list) => list?.filter((h) => h.householdId !== householdId));
    onCast();
  }
  return (
    <View className="delib-card">
      <Text className="delib-card__title">未投票的住户（{waiting.data?.length ?? '…'}）</Text>
      <Text className="delib-card__note">提醒他们投票；不会用手机的住户，可电话确认后代投（需写明如何确认）。</Text>
      <FormError message={reminder.error} />
      {(waiting.data?.length ?? 0) > 0 && (
        <AtButton size="small" loading={reminder.busy} disabled={reminder.busy} onClick={remind}>
          一键提醒未投票住户
        </AtButton>
      )}
      <PageState
        loading={waiting.loading}
        error={waiting.error}
        onRetry={waiting.reload}
        empty={waiting.data?.length === 0}
        emptyText="都投过了"
      >
        {waiting.data?.map((h) => (
          <View key={h.householdId} className="delib-figure" onClick={() => setHousehold(h)}>
            <Text>
              {placePath(h.unit)} {h.room}
            </Text>
            <Text className="delib-comment__tools">{household?.householdId === h.householdId ? '已选' : '代投'}</Text>
          </View>
        ))}
      </PageState>
      {household && (
        <View>
          <Text className="delib-card__text">
            为 {household.unit.name} {household.room} 代投
          </Text>
          <ChoiceChips
            options={ballot.options.map((o) => ({ value: o.key, label: o.label }))}
            value={choice}
            onChange={setChoice}
          />
          <AtInput
            name="note"
            title="备注"
            placeholder="如：12月2日电话确认"
            value={note}
            onChange={(v: string) => setNote(v)}
          />
          <FormError message={error} />
          <AtButton
            type="primary"
            size="small"
            loading={sending}
            disabled={sending || !choice || note.trim().length < 2}
            onClick={record}
          >
            确认代投
          </AtButton>
        </View>
      )}
    </View>
  );
}

function BallotScreen({ id }: { id: string }) {
  const load = useCallback(() => deliberationApi.get(id), [id]);
  const topic = useRequest(load);
  const t = topic.data;
  const ballot = t?.ballot;
  return (
    <PageState
      loading={topic.loading && !t}
      error={t ? undefined : topic.error}
      onRetry={topic.reload}
      empty={!!t && !ballot}
      emptyText="这个议题还没有投票"
    >
      {t && ballot && (
        <View className="delib-page">
          <View className="delib-card">
            <Text className="delib-card__title">{t.title}</Text>
            <Text className="delib-card__note">规则：{ballot.ruleText}</Text>
            <Text className="delib-card__note">
              {ballot.ownersOnly ? '仅业主投票，每户一票。' : '每户一票，家庭成员任一人投票即可。'}
              截止前可以修改，截止前不公布各选项票数。
            </Text>
            <Text className="delib-card__note">截止时间：{formatDateTime(ballot.closesAt)}</Text>
            <TurnoutBars turnout={ballot.turnout} />
          </View>
          {t.actions.includes('vote') && <Vote topic={t} ballot={ballot} onCast={topic.refresh} />}
          {t.actions.includes('proxy') && <Captain topic={t} ballot={ballot} onCast={topic.refresh} />}
          {!t.actions.includes('vote') && !t.actions.includes('proxy') && (
            <Text className="delib-card__note">
              {ballot.state === 'open' ? '您家不在本次投票范围内。' : '投票未在进行中。'}
            </Text>
          )}
        </View>
      )}
    </PageState>
  );
}

export default function BallotPage() {
  const { params } = useRouter();
  return (
    <RequireLogin text="登录后投票">
      <BallotScreen id={params.id ?? ''} />
    </RequireLogin>
  );
}
