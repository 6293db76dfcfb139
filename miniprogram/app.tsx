import { useLaunch } from '@tarojs/taro';
import type { PropsWithChildren } from 'react';
import { PrivacyHost } from './components/privacy-popup';
import { startOutbox } from './services/outbox';
import { startPrivacyCheck } from './services/privacy';
import './app.scss';

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    // WeChat asks for the privacy agreement before any privacy API: the popup answers, whichever page is open.
    startPrivacyCheck();
    // Reports composed without signal are sent when it returns, whichever page the app opens on.
    startOutbox();
  });
  return (
    <>
      {children}
      <PrivacyHost />
    </>
  );
}

export default App;
