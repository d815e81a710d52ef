/** A line that introduces the quoted earlier mail: everything from it on is history. */
const ATTRIBUTION = [
  /^On\b.*\bwrote:\s*$/i,
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i,
  /^在.*写道[：:]\s*$/u,
  /^-{2,}\s*原始邮件\s*-{2,}\s*$/u,
]

/**
 * Strips the quoted history from a plain-text email: quoted lines (`>`), and everything from an
 * attribution line on (`On … wrote:`, `-----Original Message-----`, `在 … 写道：`). A wrapped attribution
 * (`On Mon, 1 Dec 2026, Zhang <z@x.cn>` / `wrote:`) counts too. When nothing but history is left, the
 * original text is returned, so a message never becomes empty.
 *
 * @example
 *   stripQuotedHistory('好的，谢谢\n\n在 2026年11月24日 客服 写道：\n> 您的订单已发货')
 *   // → '好的，谢谢'
 */
export function stripQuotedHistory(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  const kept: string[] = []
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim()
    if (ATTRIBUTION.some((pattern) => pattern.test(line))) break
    const next = lines[index + 1]?.trim() ?? ''
    if (/^On\b/i.test(line) && /\bwrote:\s*$/i.test(next) && !/^On\b/i.test(next)) break
    if (line.startsWith('>')) continue
    kept.push(lines[index])
  }
  const stripped = kept.join('\n').trim()
  return stripped === '' ? text.trim() : stripped
}
