import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { AtButton, AtInput } from 'taro-ui';
import { useCallback, useEffect, useState } from 'react';
import type { InvitePreview } from '../../../../shared/schemas/places';
import { api, toApiError } from '../../../services/api';
import { FormError } from '../../../components/form-error';
import { inWechat } from '../../../utils/platform';
import { parseInviteCode } from './invite-code';
import { privacyRefusal } from '../../../services/privacy';

export interface CodeStepProps {
  defaultCode: string;
  /** Opened from a QR code: look the code up without waiting for a tap. */
  lookUpAtOnce: boolean;
  onFound: (code: string, preview: InvitePreview) => void;
}

/** Step 1: the invite code, scanned (in WeChat) or pasted, looked up to show which unit it is for. */
const BAD_CODE = '请输入楼长或单元长给您的邀请码（字母和数字）';

export function CodeStep({ defaultCode, lookUpAtOnce, onFound }: CodeStepProps) {
  const [text, setText] = useState(defaultCode);
  const atOnce = lookUpAtOnce ? parseInviteCode(defaultCode) : undefined;
  const [looking, setLooking] = useState(atOnce !== undefined);
  const [error, setError] = useState(lookUpAtOnce && !atOnce ? BAD_CODE : undefined);

  const fetchPreview = useCallback(
    (code: string) =>
      api.previewInvite(code).then(
        (preview) => onFound(code, preview),
        (err: unknown) => {
          setError(toApiError(err).message);
          setLooking(false);
        },
      ),
    [onFound],
  );

  useEffect(() => {
    if (atOnce) void fetchPreview(atOnce);
  }, [atOnce, fetchPreview]);

  const lookUp = useCallback(
    async (input: string) => {
      const code = parseInviteCode(input);
      setError(code ? undefined : BAD_CODE);
      if (!code) return;
      setLooking(true);
      await fetchPreview(code);
    },
    [fetchPreview],
  );

  const scan = useCallback(async () => {
    let scanned: string;
    try {
      const result = await Taro.scanCode({ onlyFromCamera: false });
      scanned = result.path || result.result;
    } catch (err) {
      const errMsg = String((err as { errMsg?: string }).errMsg);
      // Refused (the privacy agreement or the camera): say so; the code can still be typed in.
      if (/privacy|auth|deny|denied/i.test(errMsg)) setError(`${privacyRefusal(err, '相机')}；也可以直接输入邀请码`);
      else if (!errMsg.includes('cancel')) setError('没有识别到邀请码，请重试或直接输入邀请码');
      return;
    }
    setText(parseInviteCode(scanned) ?? scanned);
    await lookUp(scanned);
  }, [lookUp]);

  return (
    <View className="card join__step">
      <Text className="join__title">输入邀请码</Text>
      <Text className="join__text">邀请码由您所在单元的楼长或单元长提供，也可以扫描单元邀请二维码。</Text>
      <AtInput
        name="code"
        className="join__code-input"
        placeholder="粘贴或输入邀请码"
        value={text}
        maxLength={60}
        border={false}
        disabled={looking}
        onChange={(value: string) => setText(value)}
        onConfirm={() => lookUp(text)}
      />
      <FormError message={error} />
      <View className="join__buttons">
        {inWechat() && (
          <AtButton type="secondary" disabled={looking} onClick={scan}>
            扫码
          </AtButton>
        )}
        <AtButton type="primary" loading={looking} disabled={looking} onClick={() => lookUp(text)}>
          查看邀请
        </AtButton>
      </View>
    </View>
  );
}
