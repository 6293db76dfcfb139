import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { AtButton, AtInput } from 'taro-ui';
import { useCallback, useState } from 'react';
import { formatAreaHundredths } from '../../../../shared/places';
import type { Art278Figures, ReceiptView } from '../../../../shared/schemas/deliberation';
import { RECEIPT_ALPHABET } from '../../../../shared/votes';
import { FormError } from '../../../components/form-error';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { useRequest } from '../../../hooks/use-request';
import { useSubmit } from '../../../hooks/use-submit';
import { deliberationApi } from '../../../services/deliberation-api';
import { formatDateTime } from '../../../utils/format';
import { ProgressBar } from '../components';
import '../deliberation.scss';

const m2 = (hundredths: number) => `${formatAreaHundredths(hundredths)} ㎡`;

function Figure({ label, value, met }: { label: string; value: string; met?: boolean }) {
  return (
    <View className={`delib-figure${met === false ? ' delib-figure--fail' : ''}`}>
      <Text>{label}</Text>
      <Text>
        {value}
        {met === undefined ? '' : met ? ' ✓' : ' ✗'}
      </Text>
    </View>
  );
}

/** Every Art. 278 figure, each threshold met or not. */
function Art278({ f }: { f: Art278Figures }) {
  const bound = f.matter === 'major' ? '≥3/4' : '>1/2';
  return (
    <View className="delib-card">
      <Text className="delib-card__title">《民法典》第278条计票</Text>
      <Figure label="专有部分总面积" value={m2(f.totalAreaHundredths)} />
      <Figure label="业主总人数" value={`${f.totalHeads} 人`} />
      <Figure label="参与表决面积（需≥2/3）" value={m2(f.participatingAreaHundredths)} met={f.quorumByArea} />
      <Figure label="参与表决人数（需≥2/3）" value={`${f.participatingHeads} 人`} met={f.quorumByHead} />
      <Figure label={`同意面积（需${bound}参与面积）`} value={m2(f.yesAreaHundredths)} met={f.passByArea} />
      <Figure label={`同意人数（需${bound}参与人数）`} value={`${f.yesHeads} 人`} met={f.passByHead} />
      <Text className="delib-card__note">
        一人拥有多套房屋按一人计；开发商未售出房屋合计为一人；弃权计入参与、不计入同意。
      </Text>
    </View>
  );
}

/** Anyone in the place may check a receipt: the choice recorded under it, never who holds it. */
function ReceiptLookup({ id }: { id: string }) {
  const [code, setCode] = useState('');
  const [found, setFound] = useState<ReceiptView>();
  const { busy, error, run } = useSubmit();
  const clean = code.trim().toUpperCase();
  async function lookup() {
    setFound(undefined);
    setFound(await run(() => deliberationApi.receipt(id, clean)));
  }
  const valid = clean.length === 8 && [...clean].every((c) => RECEIPT_ALPHABET.includes(c));
  return (
    <View className="delib-card">
      <Text className="delib-card__title">回执核对</Text>
      <AtInput
        name="receipt"
        title="回执码"
        placeholder="8位回执码"
        value={code}
        maxlength={8}
        onChange={(v: string) => setCode(v)}
      />
      <FormError message={error} />
      <AtButton size="small" type="primary" loading={busy} disabled={busy || !valid} onClick={lookup}>
        核对
      </AtButton>
      {found && (
        <Text className="delib-card__text">
          回执 {found.receipt} 记录的选择：{found.label}
          {found.proxy ? '（代投）' : ''}，{found.counted ? '已计入结果' : '截止后投出，未计入'}
        </Text>
      )}
    </View>
  );
}

function Results({ id }: { id: string }) {
  const load = useCallback(() => deliberationApi.get(id), [id]);
  const topic = useRequest(load);
  const t = topic.data;
  const result = t?.ballot?.result;
  const max = Math.max(1, ...(result?.counts.map((c) => c.households) ?? []));
  return (
    <PageState
      loading={topic.loading && !t}
      error={t ? undefined : topic.error}
      onRetry={topic.reload}
      empty={!!t && !result}
      emptyText="投票截止后公布结果"
    >
      {t && result && (
        <View className="delib-page">
          <View className="delib-card">
            <Text className="delib-card__title">{t.title}</Text>
            <Text className={`delib-badge${result.passed ? '' : ' delib-badge--grey'}`}>
              {result.passed ? '表决通过' : '未通过'}
            </Text>
            <Text className="delib-card__note">{t.ballot!.ruleText}</Text>
            <Text className="delib-card__note">公布时间：{formatDateTime(result.decidedAt)}</Text>
            <Figure
              label="投票户数"
              value={`${result.turnout.votedHouseholds}/${result.turnout.eligibleHouseholds} 户`}
              met={result.quorum}
            />
            {result.proxyBallots > 0 && <Figure label="其中代投" value={`${result.proxyBallots} 户`} />}
            {result.counts.map((c) => (
              <ProgressBar key={c.key} value={c.households} max={max} text={`${c.label}：${c.households} 户`} />
            ))}
          </View>
          {result.art278 && <Art278 f={result.art278} />}
          <ReceiptLookup id={id} />
        </View>
      )}
    </PageState>
  );
}

export default function ResultsPage() {
  const { params } = useRouter();
  return (
    <RequireLogin text="登录后查看表决结果">
      <Results id={params.id ?? ''} />
    </RequireLogin>
  );
}
