import { Text, View } from '@tarojs/components';
import './index.scss';

/** Above a form that came back with what the user was writing when they last left (hooks/use-form-draft.ts). */
export function RestoredDraft({ onClear }: { onClear: () => void }) {
  return (
    <View className="restored-draft" role="status">
      <Text>已恢复上次未提交的内容</Text>
      <Text className="restored-draft__clear" onClick={onClear}>
        清空
      </Text>
    </View>
  );
}
