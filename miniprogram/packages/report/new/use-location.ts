import Taro from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { GeoPoint } from '../../../../shared/schemas/reports';
import { inWechat } from '../../../utils/platform';

export type LocationStatus = 'locating' | 'located' | 'unavailable';

/**
 * Where the phone is, asked once when the form opens (and again on 重新定位). Refused or failed, the report
 * goes without a location: its place (unit, building, estate) still says where the problem is.
 */
export function useLocation(): { location: GeoPoint | undefined; status: LocationStatus; locate: () => void } {
  const [location, setLocation] = useState<GeoPoint>();
  const [status, setStatus] = useState<LocationStatus>('locating');

  const ask = useCallback(() => {
    // WeChat's maps use GCJ-02; a browser only knows WGS-84.
    Taro.getLocation({ type: inWechat() ? 'gcj02' : 'wgs84' }).then(
      ({ longitude, latitude }) => {
        setLocation({ longitude, latitude });
        setStatus('located');
      },
      () => setStatus('unavailable'),
    );
  }, []);

  useEffect(() => {
    ask();
  }, [ask]);

  const locate = useCallback(() => {
    setStatus('locating');
    ask();
  }, [ask]);

  return { location, status, locate };
}
