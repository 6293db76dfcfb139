import { View } from '@tarojs/components';
import { PageState } from '../../components/page-state';

export default function MePage() {
  return (
    <View>
      <PageState loading={false} empty emptyText="登录后可查看我的家庭、角色与消息" />
    </View>
  );
}
