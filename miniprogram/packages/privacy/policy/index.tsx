import { Text, View } from '@tarojs/components';
import { privacyPolicy, PRIVACY_POLICY_VERSION, type PrivacyPolicy } from '../../../../shared/privacy';
import { useRequest } from '../../../hooks/use-request';
import { useSession } from '../../../hooks/use-session';
import { privacyAgreed } from '../../../services/privacy';
import { privacyApi } from '../../../services/privacy-api';
import { formatDateTime } from '../../../utils/format';
import '../privacy.scss';

/**
 * 隐私政策: the policy as the service states it (with the community's configured retention); offline, the text
 * this version of the app carries. Its version, and whether and when the user accepted it.
 */
export default function PolicyPage() {
  const { data } = useRequest(privacyApi.policy);
  const policy: PrivacyPolicy = data ?? privacyPolicy();
  return (
    <View className="privacy">
      <View className="card privacy__card">
        <Text className="privacy__title">{policy.title}</Text>
        <Text className="privacy__meta">版本 {policy.version}</Text>
        <Acceptance version={policy.version} />
        <Text className="privacy__text">{policy.summary}</Text>
      </View>
      {policy.sections.map((section) => (
        <View key={section.key} className="card privacy__card" id={`policy-${section.key}`}>
          <Text className="privacy__heading">{section.title}</Text>
          {section.paragraphs.map((paragraph, i) => (
            <Text key={i} className="privacy__text">
              {paragraph}
            </Text>
          ))}
          {section.items?.map((item, i) => (
            <Text key={`item-${i}`} className="privacy__text privacy__item">
              · {item}
            </Text>
          ))}
        </View>
      ))}
    </View>
  );
}

function Acceptance({ version }: { version: string }) {
  const { me } = useSession();
  const accepted = me?.privacyAccepted;
  if (accepted?.version === version)
    return <Text className="privacy__meta">您已于 {formatDateTime(accepted.acceptedAt)} 同意本版本</Text>;
  if (version === PRIVACY_POLICY_VERSION && privacyAgreed())
    return <Text className="privacy__meta">您已在本机同意本版本</Text>;
  return null;
}
