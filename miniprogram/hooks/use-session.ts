import { useSyncExternalStore } from 'react';
import type { Me } from '../../shared/schemas/people';
import { logout, reloadMe } from '../services/auth';
import { currentSession, subscribeSession } from '../services/session';

export interface SessionState {
  loggedIn: boolean;
  /** The profile as last loaded (stored with the session, so it shows at once after a restart). */
  me: Me | undefined;
  reloadMe: () => Promise<Me>;
  logout: () => Promise<void>;
}

/** The login state every page reads; re-renders when the user logs in or out or the session ends. */
export function useSession(): SessionState {
  const session = useSyncExternalStore(subscribeSession, currentSession);
  return { loggedIn: session !== null, me: session?.me, reloadMe, logout };
}
