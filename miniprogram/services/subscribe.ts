import Taro from '@tarojs/taro';
import { inWechat } from '../utils/platform';
import { platformApi, type SubscribeKind } from './api';
import { currentSession, subscribeSession } from './session';

type Templates = Partial<Record<SubscribeKind, string>>;

let loading: Promise<Templates> | undefined;
/** The template ids once loaded, at hand without waiting (see prepareSubscribe). */
let loaded: Templates | undefined;

// The template list is only served to a logged-in user: a new login loads it afresh.
subscribeSession(() => {
  if (currentSession()) return;
  loading = undefined;
  loaded = undefined;
});

function loadTemplates(): Promise<Templates> {
  loading ??= platformApi.subscribeTemplates().then(
    (ids) => (loaded = ids),
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}

/**
 * Loads the template ids ahead of the tap that asks for consent: WeChat shows its dialog only when
 * requestSubscribeMessage runs in the tap itself, so there is no time to fetch them then.
 * Call it when a page that asks shows. Outside WeChat there is nothing to ask for.
 */
export function prepareSubscribe(): void {
  if (inWechat() && currentSession()) void loadTemplates().catch(() => undefined);
}

/** Shows WeChat's dialog at once (before its first await), then records what was accepted. */
async function ask(kinds: SubscribeKind[], ids: Templates): Promise<SubscribeKind[]> {
  const wanted = kinds.filter((kind) => ids[kind]);
  if (wanted.length === 0) return [];
  // Taro's type also demands Alipay's entityIds; WeChat takes tmplIds alone.
  const option = { tmplIds: wanted.map((kind) => ids[kind]!) } as Taro.requestSubscribeMessage.Option;
  // Keyed by template id: 'accept', 'reject' or 'ban' (the user turned these messages off).
  const result = (await Taro.requestSubscribeMessage(option)) as Record<string, unknown>;
  const accepted = wanted.filter((kind) => result[ids[kind]!] === 'accept');
  if (accepted.length > 0) await platformApi.subscribe(accepted);
  return accepted;
}

/**
 * Asks for one subscribe message of each kind, from the tap that makes it relevant (submitting a join
 * request → `join.decided`), and tells the service which the user accepted: one consent, one message.
 * Resolves with the accepted kinds and never fails: a refusal, an H5 page or a failed call only mean
 * no WeChat message, the inbox still gets one. Call it before anything else the tap awaits.
 */
export function askToSubscribe(kinds: SubscribeKind[]): Promise<SubscribeKind[]> {
  if (!inWechat()) return Promise.resolve([]);
  // Not prepared in time: still try, though WeChat may refuse a dialog that no longer follows the tap.
  const asked = loaded ? ask(kinds, loaded) : loadTemplates().then((ids) => ask(kinds, ids));
  return asked.catch(() => []);
}
