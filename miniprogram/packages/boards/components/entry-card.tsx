import { Text, View } from '@tarojs/components';
import { memo } from 'react';
import { colourLabel, entryStateLabel, type Colour, type EntryState } from '../../../../shared/boards';
import type { BoardItem, EntryView } from '../../../../shared/schemas/boards';
import { PhotoGrid } from '../../../components/photo-grid';
import { formatDateTime, placePath } from '../../../utils/format';
import { openPage, routes } from '../../../utils/routes';
import '../boards.scss';

const stateTone: Partial<Record<EntryState, string>> = {
  published: 'green',
  rectified: 'blue',
  dismissed: 'grey',
  removed: 'grey',
};

export function ColourBadge({ colour }: { colour: Colour }) {
  return <Text className={`board-badge${colour === 'black' ? ' board-badge--black' : ''}`}>{colourLabel[colour]}</Text>;
}

export function StateBadge({ state }: { state: EntryState }) {
  const tone = stateTone[state];
  return <Text className={`board-badge${tone ? ` board-badge--${tone}` : ''}`}>{entryStateLabel[state]}</Text>;
}

/** '+5 分' for a red entry, '-3 分' for a black one. */
export function Points({ points }: { points: number }) {
  return (
    <Text className={`board-points${points < 0 ? ' board-points--minus' : ''}`}>
      {points > 0 ? `+${points}` : points} 分
    </Text>
  );
}

/** An entry in my lists and the staff queue: colour, act, state, who as the public sees it, where and when. */
export const EntryCard = memo(function EntryCard({ entry }: { entry: EntryView }) {
  return (
    <View className="board-card" onClick={() => openPage(routes.boardEntry(entry.id))}>
      <View className="board-card__head">
        <ColourBadge colour={entry.colour} />
        <Text className="board-card__title">{entry.act.label}</Text>
        <StateBadge state={entry.state} />
      </View>
      <Text className="board-card__fact">{entry.subject.label}</Text>
      <Text className="board-card__text">{entry.description}</Text>
      <View className="board-card__meta">
        <Text>{placePath(entry.place)}</Text>
        <Text>{formatDateTime(entry.occurredAt)}</Text>
      </View>
    </View>
  );
});

/** A line of the published board: the act, who as the public may see it, where, the points; struck through when corrected. */
export const BoardLine = memo(function BoardLine({ item }: { item: BoardItem }) {
  return (
    <View className={`board-card${item.corrected ? ' board-card--corrected' : ''}`}>
      <View className="board-card__head">
        <Text className="board-card__title">{item.actLabel}</Text>
        {item.corrected && <Text className="board-badge board-badge--grey">已更正撤榜</Text>}
        <Points points={item.points} />
      </View>
      <Text className="board-card__text">{item.subjectLabel}</Text>
      <Text className="board-card__fact">{item.placeLabel}</Text>
      <PhotoGrid media={item.media} className="board-card__photos" photoClassName="board-card__photo" />
      <Text className="board-card__note">发生于 {formatDateTime(item.occurredAt)}</Text>
    </View>
  );
});

/** '2026年12月'. */
export function monthText(month: string): string {
  const [year, m] = month.split('-');
  return `${year}年${Number(m)}月`;
}
