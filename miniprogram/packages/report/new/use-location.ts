import Taro from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { GeoPoint } from '../../../../shared/schemas/reports';
import { ensurePrivacy, privacyRefusal } from '../../../services/privacy';
import { inWechat } from '../../../utils/platform';

export type LocationStatus = 'locating' | 'located' | 'unavailable';

/**
 * Where the phone is, asked once when the form opens (and again on 重新定位). Refused or failed, the report
 * goes without a location: its place (unit, building, estate) still says where the problem is.
 */
export function useLocation(): {
  location: GeoPoint | undefined;
  status: LocationStatus;
  /** Why there is no location when the user refused (the privacy agreement, or location in WeChat's settings). */
  problem: string | undefined;
  locate: () => void;
} {
  const [location, setLocation] = useState<GeoPoint>();
  const [status, setStatus] = useState<LocationStatus>('locating');
  const [problem, setProblem] = useState<string>();

  const ask = useCallback(() => {
    // H5: the privacy popup once before the first use (WeChat asks by itself when getLocation runs).
    void ensurePrivacy()
      .then(async (agreed) => {
        if (!agreed) throw { errMsg: 'getLocation:fail privacy permission is not authorized' };
        // WeChat's maps use GCJ-02; a browser only knows WGS-84.
        return Taro.getLocation({ type: inWechat() ? 'gcj02' : 'wgs84' });
      })
      .then(
        ({ longitude, latitude }) => {
          setLocation({ longitude, latitude });
          setStatus('located');
        },
        (err: unknown) => {
          // A refusal says why; a phone without a fix just has no location.
          const refused = /privacy|auth|deny|denied/i.test(String((err as { errMsg?: string })?.errMsg ?? ''));
          setProblem(refused ? privacyRefusal(err, '位置信息') : undefined);
          setStatus('unavailable');
        },
      );
  }, []);

  useEffect(() => {
    ask();
  }, [ask]);

  const locate = useCallback(() => {
    setProblem(undefined);
    setStatus('locating');
    ask();
  }, [ask]);

  return { location, status, problem, locate };
}
