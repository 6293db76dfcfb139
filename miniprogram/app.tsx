import { useLaunch } from '@tarojs/taro';
import type { PropsWithChildren } from 'react';
import { startOutbox } from './services/outbox';
import './app.scss';

function App({ children }: PropsWithChildren) {
  // Reports composed without signal are sent when it returns, whichever page the app opens on.
  useLaunch(() => startOutbox());
  return children;
}

export default App;
