import { Text, View } from '@tarojs/components';
import type { TimelineEntry } from '../../../../shared/schemas/platform';
import { formatDateTime, roleText } from '../../../utils/format';
import { actionLabel, label, stateLabel } from '../labels';

/** 审核中 → 已发布; a state this build does not know shows as it is. */
function stateChange(entry: TimelineEntry): string | undefined {
  const name = (state: string | null) => (state ? label(stateLabel, state) : undefined);
  const from = name(entry.from);
  const to = name(entry.to);
  if (from && to && from !== to) return `${from} → ${to}`;
  return to;
}

/** An item's history, oldest first: what happened, the state it led to, who did it and when. */
export function TimelineList({ entries }: { entries: TimelineEntry[] }) {
  return (
    <View className="card timeline">
      {entries.map((entry) => {
        const change = stateChange(entry);
        return (
          <View key={entry.id} className="timeline__entry">
            <View className="timeline__dot" />
            <View className="timeline__body">
              <View className="timeline__head">
                <Text className="timeline__action">{label(actionLabel, entry.action)}</Text>
                {change && <Text className="timeline__state">{change}</Text>}
              </View>
              <Text className="timeline__meta">
                {entry.actorRole ? `${roleText(entry.actorRole)} ` : ''}
                {entry.actor} · {formatDateTime(entry.at)}
              </Text>
              {entry.note && <Text className="timeline__note">{entry.note}</Text>}
            </View>
          </View>
        );
      })}
    </View>
  );
}
