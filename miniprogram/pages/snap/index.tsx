import { View } from '@tarojs/components';
import { PageState } from '../../components/page-state';

export default function SnapPage() {
  return (
    <View>
      <PageState loading={false} empty emptyText="随手拍即将开放：拍下身边的问题，社区来处理" />
    </View>
  );
}
