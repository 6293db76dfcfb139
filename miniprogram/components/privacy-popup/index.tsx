import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useSyncExternalStore } from 'react';
import { createPortal } from 'react-dom';
import {
  AGREE_BUTTON_ID,
  answerPrivacy,
  openPrivacyContract,
  pendingPrivacyRequest,
  PRIVACY_REFUSED,
  subscribePrivacy,
} from '../../services/privacy';
import { inWechat } from '../../utils/platform';
import { privacyRoutes } from '../../packages/privacy/routes';
import './index.scss';

/**
 * The privacy popup (隐私保护提示): shown while WeChat (or, on H5, `ensurePrivacy`) waits for the user's answer.
 * It names the agreement with a link that opens it (WeChat's own page of it in WeChat), links the in-app 隐私政策,
 * and answers with 同意 (in WeChat a button of open-type agreePrivacyAuthorization: WeChat checks it was tapped)
 * or 拒绝 (the user stays where they were, with a plain message).
 */
export function PrivacyPopup() {
  const request = useSyncExternalStore(subscribePrivacy, pendingPrivacyRequest);
  if (!request) return null;
  const wechat = request.source === 'wechat';
  const agree = () => answerPrivacy(true);
  const disagree = () => {
    answerPrivacy(false);
    void Taro.showToast({ title: PRIVACY_REFUSED, icon: 'none', duration: 2500 });
  };
  const openPolicy = () => void Taro.navigateTo({ url: privacyRoutes.policy });
  const openContract = async () => {
    if (!(await openPrivacyContract())) openPolicy();
  };
  return (
    <View className="privacy-popup" role="dialog" aria-label="隐私保护提示">
      <View className="privacy-popup__mask" />
      <View className="privacy-popup__panel">
        <Text className="privacy-popup__title">隐私保护提示</Text>
        <Text className="privacy-popup__text">
          在使用拍照、相册、位置或剪贴板等功能前，请您阅读并同意
          <Text className="privacy-popup__link" onClick={() => void openContract()}>
            {request.contractName}
          </Text>
          。我们只为您正在使用的功能处理这些信息，不会用于其他目的。
        </Text>
        <Text className="privacy-popup__link privacy-popup__policy" onClick={openPolicy}>
          查看《隐私政策》全文 ›
        </Text>
        <Text className="privacy-popup__note">不同意也可以继续浏览和使用其他功能。</Text>
        <View className="privacy-popup__actions">
          <Button className="privacy-popup__button" onClick={disagree}>
            拒绝
          </Button>
          <Button
            id={AGREE_BUTTON_ID}
            className="privacy-popup__button privacy-popup__button--agree"
            {...(wechat
              ? { openType: 'agreePrivacyAuthorization', onAgreePrivacyAuthorization: agree }
              : { onClick: agree })}
          >
            同意
          </Button>
        </View>
      </View>
    </View>
  );
}

/**
 * The popup's place, rendered once by the app. A WeChat page only shows what its own tree holds, so there the
 * popup goes into the page on screen (a portal into its root); on H5 it lies over the pages.
 */
export function PrivacyHost() {
  const request = useSyncExternalStore(subscribePrivacy, pendingPrivacyRequest);
  if (!request) return null;
  if (!inWechat()) return <PrivacyPopup />;
  const page = Taro.getCurrentInstance().page as { $taroPath?: string } | null | undefined;
  const root = page?.$taroPath ? document.getElementById(page.$taroPath) : null;
  return root ? createPortal(<PrivacyPopup />, root) : null;
}
