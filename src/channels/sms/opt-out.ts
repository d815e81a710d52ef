/** Whole-message replies that withdraw SMS marketing consent (the common Chinese and English keywords). */
const OPT_OUT_WORDS = new Set(['退订', 'TD', 'T', 'STOP', 'UNSUBSCRIBE'])

/**
 * True when the whole message is an opt-out keyword, in any case or width (`ｔｄ`, `Stop`, ` 退订 `);
 * closing punctuation is allowed. A sentence that merely contains one (`how do I stop…`) is not.
 *
 * @example
 *   isOptOut('ＴＤ') // → true
 *   isOptOut('请不要退订我') // → false
 */
export function isOptOut(text: string): boolean {
  const word = text
    .normalize('NFKC')
    .trim()
    .replace(/[.!。！]+$/u, '')
    .trim()
    .toUpperCase()
  return OPT_OUT_WORDS.has(word)
}
