import { Text, View } from '@tarojs/components';
import { memo } from 'react';
import type { MediaView, TimelineEntry } from '../../../shared/schemas/platform';
import { formatTime, roleText } from '../../utils/format';
import { PhotoGrid } from '../photo-grid';
import './index.scss';

export interface TimelineProps {
  /** Oldest first, as the service sends them; shown newest first. */
  entries: TimelineEntry[];
  /** What happened, in words, for an entry ('受理', '派单'…); the raw action when not given. */
  label?: (entry: TimelineEntry) => string;
  /** The actor's role in words; user roles (楼长, 网格员…) when not given. */
  role?: (role: string) => string;
  /** Photos the entries may name as attachments (a fix's photo), so they show beside their step. */
  media?: MediaView[];
}

/** An item's history: each step with who (masked, and their role), when, and the note they left. */
export function Timeline({ entries, label = (entry) => entry.action, role = roleText, media = [] }: TimelineProps) {
  return (
    <View className="timeline">
      {[...entries].reverse().map((entry, index) => (
        <TimelineStep
          key={entry.id}
          entry={entry}
          title={label(entry)}
          role={entry.actorRole ? role(entry.actorRole) : ''}
          latest={index === 0}
          photos={media.filter((m) => entry.attachments.includes(m.id) && m.thumbUrl && m.url)}
        />
      ))}
    </View>
  );
}

const TimelineStep = memo(function TimelineStep({
  entry,
  title,
  role,
  latest,
  photos,
}: {
  entry: TimelineEntry;
  title: string;
  role: string;
  latest: boolean;
  photos: MediaView[];
}) {
  return (
    <View className={`timeline__step${latest ? ' timeline__step--latest' : ''}`}>
      <View className="timeline__dot" />
      <View className="timeline__body">
        <View className="timeline__head">
          <Text className="timeline__title">{title}</Text>
          <Text className="timeline__time">{formatTime(entry.at)}</Text>
        </View>
        <Text className="timeline__actor">
          {role ? `${role} ` : ''}
          {entry.actor}
        </Text>
        {entry.note && <Text className="timeline__note">{entry.note}</Text>}
        {photos.length > 0 && (
          <PhotoGrid media={photos} className="timeline__photos" photoClassName="timeline__photo" />
        )}
      </View>
    </View>
  );
});
