const CODE = /^[A-Za-z0-9]{4,16}$/;

/**
 * The invite code in what a scan or a paste gives: the mini-program path of an invite QR code
 * (`packages/community/join/index?code=…`), the path of its WeChat mini-program code (`…?scene=…`), a link with
 * `code=`, or the bare code, spaces allowed.
 */
export function parseInviteCode(text: string): string | undefined {
  const fromQuery = /[?&](?:code|scene)=([A-Za-z0-9]+)/.exec(text)?.[1];
  const code = fromQuery ?? text.replace(/\s+/g, '');
  return CODE.test(code) ? code.toUpperCase() : undefined;
}
