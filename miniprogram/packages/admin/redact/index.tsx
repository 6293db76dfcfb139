import { Image, Text, View, type CommonEvent, type ITouchEvent } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { AtButton } from 'taro-ui';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ErrorCode } from '../../../../shared/errors';
import type { ModerationCaseView } from '../../../../shared/schemas/platform';
import { FormError } from '../../../components/form-error';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { useRequest } from '../../../hooks/use-request';
import { ApiError, mediaUrl, platformApi, toApiError, type PixelRect } from '../../../services/api';
import { boardsApi } from '../../../services/boards-api';
import { friendlyMessage } from '../../../services/error-messages';
import { toastSuccess } from '../../../utils/toast';
import { dragRect, fitImage, toImagePixels, type Point, type Size } from './geometry';
import './index.scss';

type Photo = ModerationCaseView['media'][number];

/** The service takes at most this many rectangles per photo at a time. */
const MAX_RECTS = 20;
/** A tall photo is shown at most this much taller than wide, so the buttons stay on screen. */
const MAX_ASPECT = 1.25;

/** Where the frame holding the photo is on screen: its left and top edge, and its width. */
interface Frame {
  left: number;
  top: number;
  width: number;
}

function measureFrame(): Promise<Frame | undefined> {
  return new Promise((resolve) => {
    Taro.createSelectorQuery()
      .select('#redact-frame')
      .boundingClientRect((rect) => {
        const found = Array.isArray(rect) ? rect[0] : rect;
        resolve(found && found.width > 0 ? { left: found.left, top: found.top, width: found.width } : undefined);
      })
      .exec();
  });
}

/** A finger's drag over the photo, from where it went down to where it is. */
interface Drag {
  from: Point;
  to: Point;
}

const sameFrame = (a: Frame | undefined, b: Frame) => a?.left === b.left && a.top === b.top && a.width === b.width;

/** Where the photo comes from: a moderation case, or a board entry's evidence (红黑榜) cleared for publication. */
type Source = { case: string } | { entry: string };

/** Draw rectangles over the photo by dragging; 撤销 removes the last; 确定 blacks them out on the service. */
function Editor({ send, photo }: { send: (rects: PixelRect[]) => Promise<unknown>; photo: Photo }) {
  const [frame, setFrame] = useState<Frame>();
  const [rects, setRects] = useState<PixelRect[]>([]);
  const [drag, setDrag] = useState<Drag>();
  // Touches can come faster than renders: each handler reads the drag as the previous one left it.
  const dragging = useRef<Drag>();
  const drawTo = (next: Drag | undefined) => {
    dragging.current = next;
    setDrag(next);
  };
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();

  const measure = useCallback(
    () =>
      void measureFrame().then((found) => {
        if (found) setFrame((previous) => (sameFrame(previous, found) ? previous : found));
      }),
    [],
  );
  useEffect(() => {
    Taro.nextTick(measure);
  }, [measure]);

  const image: Size = { width: photo.width, height: photo.height };
  const shown = frame && fitImage(image, { width: frame.width, height: frame.width * MAX_ASPECT });

  /** A touch in the shown photo's own coordinates (the photo is centred in the frame). */
  const pointOf = (event: CommonEvent, which: 'touches' | 'changedTouches'): Point | undefined => {
    // View types its touch handlers as plain events; WeChat and browsers both pass the touches.
    const touch = (event as unknown as ITouchEvent)[which][0];
    if (!touch || !frame || !shown) return undefined;
    return { x: touch.clientX - frame.left - (frame.width - shown.width) / 2, y: touch.clientY - frame.top };
  };

  const start = (event: CommonEvent) => {
    // Where the frame is may have changed (scrolled, keyboard): the next drag uses the fresh position.
    measure();
    const point = pointOf(event, 'touches');
    if (point && rects.length < MAX_RECTS && !submitting) drawTo({ from: point, to: point });
  };
  const move = (event: CommonEvent) => {
    const point = pointOf(event, 'touches');
    if (dragging.current && point) drawTo({ from: dragging.current.from, to: point });
  };
  const end = (event: CommonEvent) => {
    const current = dragging.current;
    const point = pointOf(event, 'changedTouches') ?? current?.to;
    const rect = current && shown && point && dragRect(current.from, point, shown);
    if (rect) setRects((list) => (list.length < MAX_RECTS ? [...list, rect] : list));
    drawTo(undefined);
  };

  const submit = async () => {
    if (!shown || rects.length === 0) return;
    setSubmitting(true);
    setError(undefined);
    try {
      await send(rects.map((rect) => toImagePixels(rect, shown, image)));
      toastSuccess('已遮挡');
      void Taro.navigateBack();
    } catch (err) {
      // The rectangles stay drawn: 确定 again sends the same.
      setError(toApiError(err).message);
      setSubmitting(false);
    }
  };

  const drawing = drag && shown && dragRect(drag.from, drag.to, shown);
  return (
    <View className="redact">
      <Text className="redact__hint">
        {rects.length < MAX_RECTS
          ? '在照片上拖动，框出要遮挡的部分（人脸、车牌、门牌号等），可框多处'
          : `一次最多遮挡 ${MAX_RECTS} 处，请先确定`}
      </Text>
      <View id="redact-frame" className="redact__frame">
        {shown && (
          <View
            className="redact__stage"
            style={{ width: `${shown.width}px`, height: `${shown.height}px` }}
            onTouchStart={start}
            onTouchMove={move}
            onTouchEnd={end}
            onTouchCancel={() => drawTo(undefined)}
          >
            <Image className="redact__photo" src={mediaUrl(photo.url)} mode="scaleToFill" />
            {[...rects, ...(drawing ? [drawing] : [])].map((rect, i) => (
              <View
                key={i}
                className={`redact__rect${i === rects.length ? ' redact__rect--drawing' : ''}`}
                aria-label="遮挡区域"
                style={{
                  left: `${rect.x}px`,
                  top: `${rect.y}px`,
                  width: `${rect.width}px`,
                  height: `${rect.height}px`,
                }}
              />
            ))}
          </View>
        )}
      </View>
      <View className="page-actions">
        <FormError message={error} />
        <Text className="redact__count">{rects.length > 0 ? `已框选 ${rects.length} 处` : '尚未框选'}</Text>
        <View className="redact__buttons">
          <AtButton disabled={rects.length === 0 || submitting} onClick={() => setRects((list) => list.slice(0, -1))}>
            撤销
          </AtButton>
          <AtButton type="primary" loading={submitting} disabled={rects.length === 0 || submitting} onClick={submit}>
            {submitting ? '提交中…' : '确定'}
          </AtButton>
        </View>
      </View>
    </View>
  );
}

function RedactPhoto({ source, mediaId }: { source: Source; mediaId: string }) {
  // The queue (or the entry) is where staff came from; a closed case or a photo no longer in it is gone.
  const caseId = 'case' in source ? source.case : undefined;
  const entryId = 'entry' in source ? source.entry : undefined;
  const load = useCallback(async () => {
    const found: Photo | undefined = entryId
      ? await boardsApi.get(entryId).then((entry) => {
          const photo = entry.media.find((m) => m.id === mediaId);
          return photo?.url ? { ...photo, url: photo.url } : undefined;
        })
      : await platformApi
          .moderationCase(caseId ?? '')
          .then((open) => (open.status === 'open' ? open.media.find((m) => m.id === mediaId) : undefined));
    if (!found) throw new ApiError(ErrorCode.NOT_FOUND, friendlyMessage(ErrorCode.NOT_FOUND), 404);
    return found;
  }, [caseId, entryId, mediaId]);
  const send = useCallback(
    (rects: PixelRect[]) =>
      entryId ? boardsApi.clearPhoto(entryId, mediaId, rects) : platformApi.redactPhoto(caseId ?? '', mediaId, rects),
    [caseId, entryId, mediaId],
  );
  const { data, loading, error, reload } = useRequest(load);
  return (
    <PageState loading={loading} error={error} onRetry={reload}>
      {data && <Editor send={send} photo={data} />}
    </PageState>
  );
}

export default function RedactPage() {
  const { params } = useRouter();
  return (
    <RequireLogin text="登录后处理待审内容">
      <RedactPhoto
        source={params.entry ? { entry: params.entry } : { case: params.case ?? '' }}
        mediaId={params.media ?? ''}
      />
    </RequireLogin>
  );
}
