import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { AtButton, AtInput } from 'taro-ui';
import { useCallback, useEffect, useRef, useState } from 'react';
import { DELETED_USER_NAME, DELETION_CONFIRMATION, EXPORT_TTL_HOURS } from '../../../../shared/privacy';
import type { ExportView } from '../../../../shared/schemas/privacy';
import { FormError } from '../../../components/form-error';
import { RequireLogin } from '../../../components/login-prompt';
import { useSession } from '../../../hooks/use-session';
import { toApiError } from '../../../services/api';
import { downloadExportInWechat, saveExportInBrowser, shareExportFile } from '../../../services/export-download';
import { deleteDraft, myDrafts } from '../../../services/outbox';
import { privacyApi } from '../../../services/privacy-api';
import { clearSession } from '../../../services/session';
import { formatDateTime } from '../../../utils/format';
import { inWechat } from '../../../utils/platform';
import { openTab, routes } from '../../../utils/routes';
import { toastError, toastSuccess } from '../../../utils/toast';
import '../privacy.scss';

/** How often a pending export is asked about (tests shorten it). */
export const exportPolling = { delayMs: 2000 };

/** The last export asked for on this phone, so that leaving the page and coming back finds it again. */
const LAST_EXPORT_KEY = 'linli.export';

function lastExport(userId: string | undefined): string | undefined {
  try {
    const stored = Taro.getStorageSync(LAST_EXPORT_KEY) as { userId?: string; id?: string } | '';
    return stored && stored.userId === userId ? stored.id : undefined;
  } catch {
    return undefined;
  }
}

function rememberExport(userId: string | undefined, id: string | undefined): void {
  try {
    if (userId && id) Taro.setStorageSync(LAST_EXPORT_KEY, { userId, id });
    else Taro.removeStorageSync(LAST_EXPORT_KEY);
  } catch {
    // Storage unavailable: the export is still there on the service; asking again answers the pending one.
  }
}

type ExportStep =
  | { step: 'idle' }
  | { step: 'requesting' }
  | { step: 'pending'; id: string; since: number }
  | { step: 'ready'; view: ExportView }
  | { step: 'failed'; message: string };

/**
 * 导出我的数据: asks for an archive (POST /me/exports), follows it while it is being made, then gets it — a file
 * download on H5; in WeChat a download and 发送到聊天 (a zip cannot be opened inside WeChat).
 */
function ExportCard() {
  const userId = useSession().me?.id;
  const [state, setState] = useState<ExportStep>({ step: 'idle' });
  const [waited, setWaited] = useState(0);
  const [downloading, setDownloading] = useState(false);
  const [file, setFile] = useState<string>();

  const follow = useCallback((view: ExportView, since: number) => {
    if (view.state === 'ready') setState({ step: 'ready', view });
    else if (view.state === 'failed') setState({ step: 'failed', message: '生成失败，请重新导出' });
    else setState({ step: 'pending', id: view.id, since });
  }, []);

  // Back on the page: the export asked for earlier, unless it is gone or past its download window.
  useEffect(() => {
    const id = lastExport(userId);
    if (!id) return;
    privacyApi.exportState(id).then(
      (view) => {
        if (view.expiresAt && Date.parse(view.expiresAt) <= Date.now()) rememberExport(undefined, undefined);
        else if (view.state !== 'failed') follow(view, Date.now());
      },
      () => undefined,
    );
  }, [userId, follow]);

  const start = async () => {
    setState({ step: 'requesting' });
    setFile(undefined);
    setWaited(0);
    try {
      const view = await privacyApi.requestExport();
      rememberExport(userId, view.id);
      follow(view, Date.now());
    } catch (err) {
      setState({ step: 'idle' });
      toastError(err);
    }
  };

  // While it is being made: ask again every couple of seconds, and count the seconds waited.
  const pendingId = state.step === 'pending' ? state.id : undefined;
  const since = state.step === 'pending' ? state.since : 0;
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => void (alive.current = false);
  }, []);
  useEffect(() => {
    if (!pendingId) return;
    const timer = setTimeout(() => {
      setWaited(Math.round((Date.now() - since) / 1000));
      privacyApi.exportState(pendingId).then(
        (view) => alive.current && follow(view, since),
        // A lost answer: keep waiting (the next turn asks again).
        () => alive.current && setState({ step: 'pending', id: pendingId, since }),
      );
    }, exportPolling.delayMs);
    return () => clearTimeout(timer);
  }, [pendingId, since, state, follow]);

  const download = async (view: ExportView) => {
    setDownloading(true);
    try {
      if (inWechat()) setFile(await downloadExportInWechat(view.id));
      else {
        await saveExportInBrowser(view.id);
        toastSuccess('已开始下载');
      }
    } catch (err) {
      toastError(err);
    } finally {
      setDownloading(false);
    }
  };
  const share = (path: string) =>
    void shareExportFile(path).catch((err: { errMsg?: string }) => {
      if (!String(err?.errMsg).includes('cancel'))
        void Taro.showToast({ title: '发送失败，请重试', icon: 'none', duration: 2000 });
    });

  return (
    <View className="card privacy__card">
      <Text className="privacy__heading">导出我的数据</Text>
      <Text className="privacy__text">
        生成一个压缩包：您的资料、房屋、随手拍、公告、举报、授权记录和与您有关的操作记录（JSON
        文件），以及您上传的照片。其中不含其他居民的个人信息。通常几分钟内生成，生成后
        {EXPORT_TTL_HOURS} 小时内可下载。
      </Text>
      {state.step === 'pending' && (
        <View className="privacy-export__progress" role="status">
          <Text className="privacy-export__state">正在生成您的数据…</Text>
          <Text className="privacy__meta">已等待 {waited} 秒；可以先离开本页，回来时继续显示进度</Text>
        </View>
      )}
      {state.step === 'failed' && <FormError message={state.message} />}
      {state.step === 'ready' && (
        <View className="privacy-export__progress">
          <Text className="privacy-export__state privacy-export__state--ready">已生成</Text>
          {state.view.expiresAt && (
            <Text className="privacy__meta">{formatDateTime(state.view.expiresAt)} 前可下载</Text>
          )}
          {file ? (
            <>
              <Text className="privacy__meta">
                已下载到微信。发送到聊天（如“文件传输助手”）后即可在电脑或手机上打开。
              </Text>
              <AtButton type="primary" onClick={() => share(file)}>
                发送到聊天
              </AtButton>
            </>
          ) : (
            <AtButton
              type="primary"
              loading={downloading}
              disabled={downloading}
              onClick={() => void download(state.view)}
            >
              {inWechat() ? '下载压缩包' : '下载压缩包（.zip）'}
            </AtButton>
          )}
        </View>
      )}
      {(state.step === 'idle' || state.step === 'requesting' || state.step === 'failed' || state.step === 'ready') && (
        <AtButton
          type={state.step === 'ready' ? 'secondary' : 'primary'}
          loading={state.step === 'requesting'}
          disabled={state.step === 'requesting'}
          onClick={() => void start()}
        >
          {state.step === 'ready' || state.step === 'failed' ? '重新导出' : '导出我的数据'}
        </AtButton>
      )}
    </View>
  );
}

/**
 * 注销账号: what goes and what stays, the typed confirmation '注销账号', then POST /me/deletion; done, the phone
 * forgets the session and this account's unsent reports, and the app returns to 首页.
 */
function DeletionCard() {
  const [typed, setTyped] = useState('');
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string>();
  const confirmed = typed.trim() === DELETION_CONFIRMATION;

  const close = async () => {
    if (!confirmed) {
      setError(`请输入“${DELETION_CONFIRMATION}”确认`);
      return;
    }
    setError(undefined);
    setDeleting(true);
    try {
      await privacyApi.deleteAccount();
    } catch (err) {
      setDeleting(false);
      setError(toApiError(err).message);
      return;
    }
    // The service ended every session; the phone forgets this account's session and unsent drafts.
    for (const draft of myDrafts()) deleteDraft(draft.key);
    rememberExport(undefined, undefined);
    clearSession();
    toastSuccess('账号已注销');
    openTab(routes.home);
  };

  return (
    <View className="card privacy__card">
      <Text className="privacy__heading">注销账号</Text>
      <Text className="privacy__text">注销后立即删除，且无法恢复：</Text>
      <Text className="privacy__text privacy__item">· 您的账户资料（称呼、手机号）、志愿者实名信息</Text>
      <Text className="privacy__text privacy__item">· 微信账号与本账号的关联，以及所有登录</Text>
      <Text className="privacy__text privacy__item">· 您在各户的成员身份</Text>
      <Text className="privacy__text privacy__item">· 您上传的照片</Text>
      <Text className="privacy__text">会保留（社区办事需要）：</Text>
      <Text className="privacy__text privacy__item">
        · 您发布的随手拍、议题、心愿等记录及其处理经过，但显示为“{DELETED_USER_NAME}”
      </Text>
      <Text className="privacy__text privacy__item">· 一条不含您身份的注销记录（审计）</Text>
      <Text className="privacy__text">再次用同一微信登录会得到一个全新的空账户。如需保留资料，请先导出我的数据。</Text>
      <Text className="privacy__label">请输入“{DELETION_CONFIRMATION}”确认</Text>
      <AtInput
        name="confirm"
        className="privacy__confirm"
        placeholder={DELETION_CONFIRMATION}
        value={typed}
        border={false}
        disabled={deleting}
        onChange={(value: string) => {
          setTyped(value);
          setError(undefined);
        }}
      />
      {error && <FormError message={error} />}
      <AtButton
        className="privacy__danger"
        type="primary"
        loading={deleting}
        disabled={deleting || !confirmed}
        onClick={() => void close()}
      >
        注销账号
      </AtButton>
    </View>
  );
}

export default function DataPage() {
  return (
    <RequireLogin text="登录后导出您的数据或注销账号">
      <View className="privacy">
        <ExportCard />
        <DeletionCard />
      </View>
    </RequireLogin>
  );
}
