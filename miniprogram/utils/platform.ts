import Taro from '@tarojs/taro';

/** Inside WeChat (the weapp build): wx.login and scanning work there, not in the H5 build. */
export function inWechat(): boolean {
  return Taro.getEnv() === Taro.ENV_TYPE.WEAPP;
}
