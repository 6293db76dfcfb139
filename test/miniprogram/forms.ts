import { act, fireEvent, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { SentRequest } from './fixtures';

/** A taro-ui button by its label. */
export const button = (text: string) => screen.getByText(text, { selector: '.at-button__text' });
export const queryButton = (text: string) => screen.queryByText(text, { selector: '.at-button__text' });

/**
 * A form whose first submit fails (the service unreachable) and whose second goes through: the failure keeps the
 * text typed in its textarea, the retry sends the same idempotency key and opens `url`. Answers the two bodies.
 */
export async function submitFailsThenRetries(
  sent: SentRequest[],
  { label, typed, url }: { label: string; typed: string; url: string },
): Promise<{ first: Record<string, unknown>; second: Record<string, unknown> }> {
  await act(async () => fireEvent.click(button(label)));
  expect(await screen.findByText('网络不给力，请检查网络后重试')).toBeTruthy();
  expect((document.querySelector('textarea') as HTMLTextAreaElement).value).toBe(typed);

  await act(async () => fireEvent.click(button(label)));
  expect(Taro.redirectTo).toHaveBeenCalledWith({ url });
  const [first, second] = sent.filter((r) => r.method === 'POST').map((r) => r.body as Record<string, unknown>);
  expect(second!.idempotencyKey).toBe(first!.idempotencyKey);
  return { first: first!, second: second! };
}
