import { act, fireEvent, render } from '@testing-library/react';
import { PhotoGrid } from '../../miniprogram/components/photo-grid';
import { fail, logIn, ok, resetApp, serve } from './fixtures';
import { owner, photo } from './report-fixtures';

beforeEach(() => {
  resetApp();
  logIn(owner());
});

const thumbs = (container: HTMLElement) =>
  Array.from(container.querySelectorAll('img')).map((img) => img.getAttribute('src') ?? '');

test('a photo whose link expired asks once for a fresh one and shows it', async () => {
  const first = photo(1);
  const fresh = { ...first, thumbUrl: `${first.thumbUrl}&renewed=1`, url: `${first.url}&renewed=1` };
  const sent = serve({ [`GET /media/${first.id}`]: ok(fresh) });
  const { container } = render(<PhotoGrid media={[first, photo(2)]} className="grid" photoClassName="photo" />);
  await act(async () => fireEvent.error(container.querySelector('img')!));
  expect(thumbs(container)[0]).toContain('renewed=1');
  // The fresh link failing too does not ask again.
  await act(async () => fireEvent.error(container.querySelector('img')!));
  expect(sent.filter((r) => r.path === `/media/${first.id}`)).toHaveLength(1);
  expect(thumbs(container)).toHaveLength(2);
});

test('a photo the service no longer shows (its item was hidden) is left out', async () => {
  serve({ [`GET /media/${photo(1).id}`]: fail(404, 'NOT_FOUND') });
  const { container } = render(<PhotoGrid media={[photo(1), photo(2)]} className="grid" photoClassName="photo" />);
  await act(async () => fireEvent.error(container.querySelector('img')!));
  expect(thumbs(container)).toEqual([expect.stringContaining(photo(2).id)]);
});
