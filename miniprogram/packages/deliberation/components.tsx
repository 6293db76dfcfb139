import { Text, View } from '@tarojs/components';
import { formatAreaHundredths } from '../../../shared/places';
import type { Turnout, TopicView } from '../../../shared/schemas/deliberation';
import { cycleStep, cycleSteps, topicKindLabel, topicStatusLabel } from '../../../shared/votes';
import { placePath } from '../../utils/format';
import { openPage, routes } from '../../utils/routes';
import './deliberation.scss';

/** The topic's step of 民提…民评 and its status, as a badge. */
export function StageBadge({ status }: { status: TopicView['status'] }) {
  const tone = status === 'lapsed' || status === 'rejected' ? 'grey' : 'red';
  return (
    <Text className={`delib-badge delib-badge--${tone}`}>
      {cycleStep(status)} · {topicStatusLabel[status]}
    </Text>
  );
}

/** The five steps in a row, those reached in red. */
export function CycleSteps({ status }: { status: TopicView['status'] }) {
  const reached = cycleSteps.indexOf(cycleStep(status));
  return (
    <View className="delib-steps">
      {cycleSteps.map((step, i) => (
        <Text key={step} className={`delib-steps__step${i <= reached ? ' delib-steps__step--on' : ''}`}>
          {step}
        </Text>
      ))}
    </View>
  );
}

/** A horizontal bar `value` of `max`, with its words. */
export function ProgressBar({ value, max, text }: { value: number; max: number; text: string }) {
  const percent = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <View className="delib-progress">
      <View className="delib-progress__track">
        <View className="delib-progress__fill" style={{ width: `${percent}%` }} />
      </View>
      <Text className="delib-progress__text">{text}</Text>
    </View>
  );
}

/** Turnout as the ballot shows it while open: households, and area for owners' matters. */
export function TurnoutBars({ turnout }: { turnout: Turnout }) {
  return (
    <View>
      <ProgressBar
        value={turnout.votedHouseholds}
        max={turnout.eligibleHouseholds}
        text={`已投票 ${turnout.votedHouseholds}/${turnout.eligibleHouseholds} 户`}
      />
      {turnout.totalAreaHundredths !== null && turnout.votedAreaHundredths !== null && (
        <ProgressBar
          value={turnout.votedAreaHundredths}
          max={turnout.totalAreaHundredths}
          text={`已投票面积 ${formatAreaHundredths(turnout.votedAreaHundredths)}/${formatAreaHundredths(turnout.totalAreaHundredths)} ㎡`}
        />
      )}
    </View>
  );
}

/** A topic in a list: place, title, kind, badge, co-sign progress while proposed. */
export function TopicCard({ topic }: { topic: TopicView }) {
  return (
    <View className="delib-card" onClick={() => openPage(routes.topic(topic.id))}>
      <View className="delib-card__head">
        <StageBadge status={topic.status} />
        <Text className="delib-card__kind">{topicKindLabel[topic.kind]}</Text>
      </View>
      <Text className="delib-card__title">{topic.title}</Text>
      <Text className="delib-card__place">{placePath(topic.node)}</Text>
      {topic.status === 'proposed' && (
        <ProgressBar
          value={topic.cosign.households}
          max={topic.cosign.threshold}
          text={`附议 ${topic.cosign.households}/${topic.cosign.threshold} 户`}
        />
      )}
      {topic.status === 'voting' && topic.ballot && <TurnoutBars turnout={topic.ballot.turnout} />}
    </View>
  );
}
