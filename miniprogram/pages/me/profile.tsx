import { Text, View } from '@tarojs/components';
import { AtAvatar, AtTag } from 'taro-ui';
import { badgeLabel } from '../../../shared/roles';
import type { Me } from '../../../shared/schemas/people';
import { HouseholdCard } from '../../components/household-card';
import { placePath, roleText } from '../../utils/format';

export function ProfileCard({ me }: { me: Me }) {
  return (
    <View className="me__profile">
      <AtAvatar circle size="large" text={me.displayName.slice(0, 1)} />
      <View className="me__profile-info">
        <Text className="me__name">{me.displayName}</Text>
        <Text className="me__phone">{me.phoneMasked ? `手机 ${me.phoneMasked}` : '未绑定手机'}</Text>
        {me.badges.length > 0 && (
          <View className="me__badges">
            {me.badges.map((badge) => (
              <AtTag key={badge} size="small" circle active>
                {badgeLabel[badge]}
              </AtTag>
            ))}
          </View>
        )}
      </View>
    </View>
  );
}

export function MyRoles({ me }: { me: Me }) {
  if (me.roles.length === 0) return null;
  return (
    <View>
      <Text className="section-title">我的角色</Text>
      <View className="card-list">
        {me.roles.map((grant) => (
          <View key={grant.id} className="me__row">
            <Text className="me__row-title">{roleText(grant.role)}</Text>
            <Text className="me__row-note">
              {placePath(grant.node)}
              {grant.gridName ? ` · ${grant.gridName}` : ''}
            </Text>
          </View>
        ))}
      </View>
    </View>
  );
}

export function MyHouseholds({ me }: { me: Me }) {
  return (
    <View>
      <Text className="section-title">我的家庭</Text>
      <View className="card-list">
        {me.households.length === 0 ? (
          <View className="me__row">
            <Text className="me__row-note">
              {me.pendingJoinRequests > 0 ? '加入申请审核中，请等待楼长或单元长通过' : '尚未加入社区'}
            </Text>
          </View>
        ) : (
          me.households.map((household) => <HouseholdCard key={household.id} household={household} />)
        )}
      </View>
    </View>
  );
}
