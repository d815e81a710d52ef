/**
 * Martin Porter's English stemmer (1980, "An algorithm for suffix stripping"), written for AgentCRM so the
 * knowledge base needs no extra dependency. It follows the published algorithm with the two changes of
 * Porter's own reference implementation (step 2 `bli → ble` instead of `abli → able`, and `logi → log`),
 * which is also what the `stemmer` npm package does; `stem.test.ts` checks words from the paper.
 *
 * Input is one lower-case word. Words of one or two letters and words holding anything but `a`–`z` are
 * returned unchanged (digits, Chinese, accented words: the algorithm is only defined on English letters).
 *
 * @example
 *   stem('refunds') // 'refund'
 *   stem('shipping') // 'ship'
 *   stem('generalization') // 'gener'
 */

const ASCII_WORD = /^[a-z]+$/

/** Is `word[i]` a consonant in Porter's sense (`y` after a consonant is a vowel)? */
function isConsonant(word: string, i: number): boolean {
  switch (word.charCodeAt(i)) {
    case 97: // a
    case 101: // e
    case 105: // i
    case 111: // o
    case 117: // u
      return false
    case 121: // y
      return i === 0 ? true : !isConsonant(word, i - 1)
    default:
      return true
  }
}

/** The measure m of `stem` in [C](VC)^m[V]. */
function measure(stem: string): number {
  let m = 0
  let i = 0
  const length = stem.length
  while (i < length && isConsonant(stem, i)) i++
  while (i < length) {
    while (i < length && !isConsonant(stem, i)) i++
    if (i >= length) break
    while (i < length && isConsonant(stem, i)) i++
    m++
  }
  return m
}

function hasVowel(stem: string): boolean {
  for (let i = 0; i < stem.length; i++) if (!isConsonant(stem, i)) return true
  return false
}

/** *d: ends with a double consonant. */
function endsWithDoubleConsonant(stem: string): boolean {
  const n = stem.length
  return n >= 2 && stem[n - 1] === stem[n - 2] && isConsonant(stem, n - 1)
}

/** *o: ends consonant-vowel-consonant, the last consonant not w, x or y. */
function endsCvc(stem: string): boolean {
  const n = stem.length
  if (n < 3) return false
  if (!isConsonant(stem, n - 1) || isConsonant(stem, n - 2) || !isConsonant(stem, n - 3)) return false
  const last = stem[n - 1]
  return last !== 'w' && last !== 'x' && last !== 'y'
}

type Rule = readonly [suffix: string, replacement: string]

/**
 * Apply the first rule whose suffix ends `word` (only that one: when its condition on the stem fails the
 * step stops, as in the paper).
 */
function applyFirst(word: string, rules: readonly Rule[], minimumMeasure: number): string {
  for (const [suffix, replacement] of rules) {
    if (!word.endsWith(suffix)) continue
    const stem = word.slice(0, word.length - suffix.length)
    return measure(stem) > minimumMeasure ? stem + replacement : word
  }
  return word
}

const STEP_2: readonly Rule[] = [
  ['ational', 'ate'],
  ['tional', 'tion'],
  ['enci', 'ence'],
  ['anci', 'ance'],
  ['izer', 'ize'],
  ['bli', 'ble'],
  ['alli', 'al'],
  ['entli', 'ent'],
  ['eli', 'e'],
  ['ousli', 'ous'],
  ['ization', 'ize'],
  ['ation', 'ate'],
  ['ator', 'ate'],
  ['alism', 'al'],
  ['iveness', 'ive'],
  ['fulness', 'ful'],
  ['ousness', 'ous'],
  ['aliti', 'al'],
  ['iviti', 'ive'],
  ['biliti', 'ble'],
  ['logi', 'log'],
]

const STEP_3: readonly Rule[] = [
  ['icate', 'ic'],
  ['ative', ''],
  ['alize', 'al'],
  ['iciti', 'ic'],
  ['ical', 'ic'],
  ['ful', ''],
  ['ness', ''],
]

// Longer suffixes first where one ends another (`ement` before `ment` before `ent`).
const STEP_4_SUFFIXES = [
  'al',
  'ance',
  'ence',
  'er',
  'ic',
  'able',
  'ible',
  'ant',
  'ement',
  'ment',
  'ent',
  'ion',
  'ou',
  'ism',
  'ate',
  'iti',
  'ous',
  'ive',
  'ize',
]

function step1a(word: string): string {
  if (word.endsWith('sses')) return word.slice(0, -2)
  if (word.endsWith('ies')) return word.slice(0, -2)
  if (word.endsWith('ss')) return word
  if (word.endsWith('s')) return word.slice(0, -1)
  return word
}

function step1b(word: string): string {
  if (word.endsWith('eed')) {
    const stem = word.slice(0, -3)
    return measure(stem) > 0 ? word.slice(0, -1) : word
  }
  let stem: string
  if (word.endsWith('ed')) stem = word.slice(0, -2)
  else if (word.endsWith('ing')) stem = word.slice(0, -3)
  else return word
  if (!hasVowel(stem)) return word
  if (stem.endsWith('at') || stem.endsWith('bl') || stem.endsWith('iz')) return stem + 'e'
  if (endsWithDoubleConsonant(stem)) {
    const last = stem[stem.length - 1]
    return last === 'l' || last === 's' || last === 'z' ? stem : stem.slice(0, -1)
  }
  if (measure(stem) === 1 && endsCvc(stem)) return stem + 'e'
  return stem
}

function step1c(word: string): string {
  if (word.endsWith('y') && hasVowel(word.slice(0, -1))) return word.slice(0, -1) + 'i'
  return word
}

function step4(word: string): string {
  for (const suffix of STEP_4_SUFFIXES) {
    if (!word.endsWith(suffix)) continue
    // `ement`, `ment` and `ent` are tried in that order; the first that ends the word decides.
    const stem = word.slice(0, word.length - suffix.length)
    if (suffix === 'ion') {
      const last = stem[stem.length - 1]
      if (last !== 's' && last !== 't') return word
    }
    return measure(stem) > 1 ? stem : word
  }
  return word
}

function step5(word: string): string {
  let result = word
  if (result.endsWith('e')) {
    const stem = result.slice(0, -1)
    const m = measure(stem)
    if (m > 1 || (m === 1 && !endsCvc(stem))) result = stem
  }
  if (result.endsWith('ll') && measure(result) > 1) result = result.slice(0, -1)
  return result
}

/** The Porter stem of one lower-case English word; see the module comment. */
export function stem(word: string): string {
  if (word.length <= 2 || !ASCII_WORD.test(word)) return word
  let result = step1a(word)
  result = step1b(result)
  result = step1c(result)
  result = applyFirst(result, STEP_2, 0)
  result = applyFirst(result, STEP_3, 0)
  result = step4(result)
  return step5(result)
}
