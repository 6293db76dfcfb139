import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import './index.scss';

/** An empty place that tells the user what to do next, with the buttons (`children`) that do it. */
export function CallToAction({ title, text, children }: { title?: string; text: string; children: ReactNode }) {
  return (
    <View className="call-to-action">
      {title && <Text className="call-to-action__title">{title}</Text>}
      <Text className="call-to-action__text">{text}</Text>
      {children}
    </View>
  );
}
