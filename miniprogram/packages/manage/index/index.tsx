import { View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { EntryList } from '../../../components/entry-list';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { useSession } from '../../../hooks/use-session';
import { manageEntries, runsACommunity } from '../entries';
import '../manage.scss';

/** 管理: the console's pages for community staff, street staff and the admin. */
export default function ManageIndexPage() {
  const { me } = useSession();
  const { params } = useRouter();
  return (
    <View className="manage">
      <RequireLogin text="登录后进入管理">
        <PageState loading={false} empty={!runsACommunity(me)} emptyText="管理仅对社区和街道工作人员开放">
          <EntryList block="manage" entries={manageEntries(me, params.community)} />
        </PageState>
      </RequireLogin>
    </View>
  );
}
