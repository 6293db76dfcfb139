import { Text, View } from '@tarojs/components';
import { memo } from 'react';
import { formatAreaHundredths, relationLabel } from '../../../shared/places';
import type { MyHousehold } from '../../../shared/schemas/people';
import { placePath } from '../../utils/format';
import './index.scss';

/** A household I belong to: room, my relation, the unit's path, the area for owners, optionally its members. */
export const HouseholdCard = memo(function HouseholdCard({
  household,
  withMembers = false,
}: {
  household: MyHousehold;
  withMembers?: boolean;
}) {
  return (
    <View className="household-card">
      <View className="household-card__head">
        <Text className="household-card__room">{household.room}室</Text>
        <Text className="household-card__relation">{relationLabel[household.relation]}</Text>
      </View>
      <Text className="household-card__place">{placePath(household.unit)}</Text>
      {household.areaHundredths !== undefined && (
        <Text className="household-card__place">专有面积 {formatAreaHundredths(household.areaHundredths)} ㎡</Text>
      )}
      {withMembers && (
        <View className="household-card__members">
          {household.members.map((member, index) => (
            <View key={index} className="household-card__member">
              <Text>{member.isMe ? `${member.name}（我）` : member.name}</Text>
              <Text className="household-card__member-relation">{relationLabel[member.relation]}</Text>
            </View>
          ))}
        </View>
      )}
    </View>
  );
});
