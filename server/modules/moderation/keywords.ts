/**
 * The local keyword list that backs WeChat's text check when WeChat cannot be reached or its quota is
 * spent. A hit is refused outright; anything else goes to staff review (fail closed, never open).
 * Deliberately short: it catches the obvious while WeChat is away, staff catch the rest.
 */
export const LOCAL_RISKY_WORDS = [
  '测试违规词',
  '违禁品',
  '赌博',
  '博彩',
  '代开发票',
  '枪支',
  '毒品',
  '办证',
  '裸聊',
  '高利贷',
  '套现',
];

export function localRiskyWord(text: string): string | undefined {
  const normalised = text.replace(/\s+/g, '');
  return LOCAL_RISKY_WORDS.find((word) => normalised.includes(word));
}
