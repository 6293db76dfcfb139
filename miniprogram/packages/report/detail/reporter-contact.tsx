import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { AtButton } from 'taro-ui';
import { useState } from 'react';
import type { ReporterContact } from '../../../../shared/schemas/reports';
import { reportApi } from '../../../services/api';
import { toastError } from '../../../utils/toast';

/**
 * 联系上报人, for those who handle the report: the reporter's name and phone are asked for only on the tap
 * (each ask is recorded in the report's 处理进度), then 拨打电话 calls them.
 */
export function ReporterContactRow({ reportId }: { reportId: string }) {
  const [contact, setContact] = useState<ReporterContact>();
  const [asking, setAsking] = useState(false);

  const ask = async () => {
    setAsking(true);
    try {
      setContact(await reportApi.reporterContact(reportId));
    } catch (err) {
      toastError(err);
    } finally {
      setAsking(false);
    }
  };

  if (!contact) {
    return (
      <View className="report-detail__contact">
        <AtButton size="small" loading={asking} disabled={asking} onClick={ask}>
          联系上报人
        </AtButton>
      </View>
    );
  }
  const { phone } = contact;
  return (
    <View className="report-detail__contact">
      <Text className="report-detail__contact-name">
        {contact.displayName} · {phone ?? '未留手机号'}
      </Text>
      {phone && (
        <AtButton size="small" type="primary" onClick={() => void Taro.makePhoneCall({ phoneNumber: phone })}>
          拨打电话
        </AtButton>
      )}
    </View>
  );
}
