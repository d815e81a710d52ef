import { makeEntity, type Entity } from './types.js'

/**
 * Local part, `@`, then dot-separated domain labels. The lookbehind lets a match start only at the start of
 * a run of local-part characters, so a long run without `@` is scanned once, not once per position.
 */
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+/g

/**
 * Finds email addresses; `normalized` is the lower-cased address.
 *
 * @example
 *   findEmails('邮箱 Li.Wei@Example.com 谢谢')[0].normalized // 'li.wei@example.com'
 */
export function findEmails(text: string): Entity<'email'>[] {
  const entities: Entity<'email'>[] = []
  EMAIL.lastIndex = 0
  for (let match = EMAIL.exec(text); match !== null; match = EMAIL.exec(text)) {
    let value = match[0]
    // A domain never ends with a hyphen or a label that is not a top-level domain: trim back to the last good one.
    const at = value.indexOf('@')
    const labels = value.slice(at + 1).split('.')
    while (labels.length > 1 && !/^[A-Za-z]{2,24}$/.test(labels[labels.length - 1])) labels.pop()
    if (labels.length < 2 || labels.some((label) => label.startsWith('-') || label.endsWith('-'))) continue
    value = `${value.slice(0, at)}@${labels.join('.')}`
    const local = value.slice(0, at)
    if (local.startsWith('.') || local.endsWith('.') || local.includes('..') || value.length > 254) continue
    const start = match.index
    entities.push(makeEntity('email', text, start, start + value.length, 0.99, value.toLowerCase()))
  }
  return entities
}
