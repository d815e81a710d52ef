/**
 * The built-in NLU corpora (data/nlu, issue 3): shape, counts, label sets, no train/test leakage, frozen test sets.
 * A failure here fails the build — in particular when a training example is added that is a near-duplicate
 * (character 3-gram Jaccard ≥ 0.8) of a test example, or when a frozen test file is edited.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { describe, it, expect } from 'vitest'
import { charTrigrams, findNearDuplicates, jaccard, normaliseForTrigrams } from './near-duplicates.js'
import { canonicalJson, fingerprintCorpus, fingerprintJsonl } from './fingerprint.js'
import { BUILTIN_INTENT_LABELS, CORPUS_LANGUAGES, SENTIMENT_LABELS } from './labels.js'

const DATA_DIR = new URL('../../../data/nlu/', import.meta.url)
const NEAR_DUPLICATE_THRESHOLD = 0.8

interface CorpusRecord {
  text: string
  label: string
  language: string
  score?: number
}

interface CorpusSpec {
  file: string
  task: 'intent' | 'sentiment'
  split: 'train' | 'test'
  labels: readonly string[]
  /** minimum examples per label per language */
  min: number
  /** exact count per label per language, where the issue fixes it */
  exact?: number
}

const CORPORA: readonly CorpusSpec[] = [
  {
    file: 'intent-test.jsonl',
    task: 'intent',
    split: 'test',
    labels: BUILTIN_INTENT_LABELS,
    min: 20,
    exact: 20,
  },
  { file: 'intent-train.jsonl', task: 'intent', split: 'train', labels: BUILTIN_INTENT_LABELS, min: 70 },
  { file: 'sentiment-test.jsonl', task: 'sentiment', split: 'test', labels: SENTIMENT_LABELS, min: 40 },
  { file: 'sentiment-train.jsonl', task: 'sentiment', split: 'train', labels: SENTIMENT_LABELS, min: 80 },
]

function readText(file: string): string {
  return readFileSync(new URL(file, DATA_DIR), 'utf8')
}

function nonBlankLines(content: string): string[] {
  return content.split('\n').filter((line) => line.trim() !== '')
}

function parseCorpus(file: string): CorpusRecord[] {
  return nonBlankLines(readText(file)).map((line) => JSON.parse(line) as CorpusRecord)
}

const loaded = new Map<string, CorpusRecord[]>()
function corpus(file: string): CorpusRecord[] {
  let records = loaded.get(file)
  if (!records) {
    records = parseCorpus(file)
    loaded.set(file, records)
  }
  return records
}

function recordsOf(task: CorpusSpec['task'], split: CorpusSpec['split']): CorpusRecord[] {
  return CORPORA.filter((c) => c.task === task && c.split === split).flatMap((c) => corpus(c.file))
}

const HAN = /\p{Script=Han}/u
const EMOJI = /\p{Extended_Pictographic}/u
const ORDER_NUMBER = /LM\d{8}-\d{6}/g

describe('charTrigrams / jaccard', () => {
  it('normalises case, width, whitespace and punctuation before taking 3-grams', () => {
    expect(normaliseForTrigrams('  Where is MY order?? ')).toBe('whereismyorder')
    expect(normaliseForTrigrams('退款，啥时候到账？！')).toBe('退款啥时候到账')
    expect(normaliseForTrigrams('ＡＢＣ！')).toBe('abc') // full-width → half-width (NFKC)
    expect([...charTrigrams('Abcd!')]).toEqual(['abc', 'bcd'])
    expect(charTrigrams('a b c d')).toEqual(charTrigrams('ABCD'))
  })

  it('keeps short texts as a single gram and counts an emoji as one character', () => {
    expect([...charTrigrams('在吗？')]).toEqual(['在吗'])
    expect([...charTrigrams('hi')]).toEqual(['hi'])
    expect(charTrigrams('？？！').size).toBe(0)
    expect([...charTrigrams('好👍好')]).toEqual(['好👍好'])
  })

  it('computes |A ∩ B| / |A ∪ B|', () => {
    expect(jaccard('abcd', 'abcd')).toBe(1)
    expect(jaccard('abcd', 'bcde')).toBeCloseTo(1 / 3) // {abc,bcd} vs {bcd,cde}
    expect(jaccard('abc', 'xyz')).toBe(0)
    expect(jaccard(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(1 / 3)
    expect(jaccard('!!', '??')).toBe(1) // both empty after normalisation
    expect(jaccard('', 'abc')).toBe(0)
  })
})

describe('findNearDuplicates', () => {
  it('flags a hand-made near-duplicate pair and nothing else', () => {
    const train = ['Where is my order??', 'I want a refund', '我的订单到哪了呀', 'hello there']
    const test = ['where is my order', '我的订单到哪了', 'cancel my order']
    const found = findNearDuplicates(train, test)
    expect(found.map((d) => [d.trainIndex, d.testIndex])).toEqual([
      [0, 0],
      [2, 1],
    ])
    expect(found[0].similarity).toBe(1)
    expect(found[1].similarity).toBeCloseTo(5 / 6) // 5 shared 3-grams, 6 in the union
    expect(found[1].similarity).toBeGreaterThanOrEqual(NEAR_DUPLICATE_THRESHOLD)
  })

  it('respects the threshold and accepts records with a text field', () => {
    const train = [{ text: 'my package is late' }, { text: 'my package is very late' }]
    const test = [{ text: 'my package is late!' }]
    expect(findNearDuplicates(train, test, 1).map((d) => d.trainIndex)).toEqual([0])
    expect(findNearDuplicates(train, test, 0.5).map((d) => d.trainIndex)).toEqual([0, 1])
    expect(() => findNearDuplicates(train, test, 1.5)).toThrow(RangeError)
  })

  it('would fail the build if a near-copy of a test example were added to training', () => {
    const test = corpus('intent-test.jsonl')
    const victim = test.find((r) => r.text.length > 20)
    expect(victim).toBeDefined()
    const leaked = { ...victim!, text: `${victim!.text}!!` }
    const train = [...corpus('intent-train.jsonl'), leaked]
    const found = findNearDuplicates(train, test, NEAR_DUPLICATE_THRESHOLD)
    expect(found.some((d) => d.trainIndex === train.length - 1 && d.test === victim!.text)).toBe(true)
  })

  it('is fast enough for every train × test pair of the built-in corpora', () => {
    const train = [...recordsOf('intent', 'train'), ...recordsOf('sentiment', 'train')]
    const test = [...recordsOf('intent', 'test'), ...recordsOf('sentiment', 'test')]
    const start = performance.now()
    findNearDuplicates(train, test, 0.5)
    expect(performance.now() - start).toBeLessThan(5_000)
  })
})

describe('fingerprintCorpus', () => {
  const a = '{"text":"hi","label":"greeting","language":"en"}'
  const b = '{"text":"在吗","label":"greeting","language":"zh"}'

  it('depends on records and their order, not on key order, spacing or blank lines', () => {
    const base = fingerprintCorpus([a, b])
    expect(base).toMatch(/^[0-9a-f]{64}$/)
    expect(fingerprintCorpus(['{ "language": "en", "label": "greeting", "text": "hi" }', '', b])).toBe(base)
    expect(
      fingerprintCorpus([JSON.parse(a) as Record<string, unknown>, JSON.parse(b) as Record<string, unknown>]),
    ).toBe(base)
    expect(fingerprintJsonl(`${a}\r\n${b}\r\n`)).toBe(base)
    expect(fingerprintCorpus([b, a])).not.toBe(base)
    expect(fingerprintCorpus([a, b.replace('在吗', '再吗')])).not.toBe(base)
  })

  it('sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}',
    )
  })
})

for (const spec of CORPORA) {
  describe(`data/nlu/${spec.file}`, () => {
    it('parses: every line is a JSON object with exactly the expected fields', () => {
      const lines = nonBlankLines(readText(spec.file))
      expect(lines.length).toBeGreaterThan(0)
      const keys =
        spec.task === 'sentiment' ? ['label', 'language', 'score', 'text'] : ['label', 'language', 'text']
      for (const [i, line] of lines.entries()) {
        let record: unknown
        expect(() => (record = JSON.parse(line)), `line ${i + 1}`).not.toThrow()
        expect(typeof record === 'object' && record !== null && !Array.isArray(record), `line ${i + 1}`).toBe(
          true,
        )
        expect(Object.keys(record as object).sort(), `line ${i + 1}: ${line}`).toEqual(keys)
        const r = record as CorpusRecord
        expect(typeof r.text === 'string' && r.text.trim() === r.text && r.text.length > 0, line).toBe(true)
        expect(CORPUS_LANGUAGES as readonly string[], line).toContain(r.language)
      }
    })

    it('uses exactly the CONTRACTS label set', () => {
      const labels = new Set(corpus(spec.file).map((r) => r.label))
      expect([...labels].sort()).toEqual([...spec.labels].sort())
    })

    it(`has at least ${spec.min} examples per label per language${spec.exact ? ` (exactly ${spec.exact})` : ''}`, () => {
      const counts = new Map<string, number>()
      for (const r of corpus(spec.file))
        counts.set(`${r.label}/${r.language}`, (counts.get(`${r.label}/${r.language}`) ?? 0) + 1)
      const short: string[] = []
      for (const label of spec.labels)
        for (const language of CORPUS_LANGUAGES) {
          const n = counts.get(`${label}/${language}`) ?? 0
          if (n < spec.min || (spec.exact !== undefined && n !== spec.exact))
            short.push(`${label}/${language}=${n}`)
        }
      expect(short).toEqual([])
    })

    it('has no duplicate texts (after normalisation)', () => {
      const seen = new Map<string, string>()
      const dups: string[] = []
      for (const r of corpus(spec.file)) {
        const key = normaliseForTrigrams(r.text)
        const prev = seen.get(key)
        if (prev !== undefined) dups.push(`${prev} | ${r.text}`)
        else seen.set(key, r.text)
      }
      expect(dups).toEqual([])
    })

    it('writes Chinese examples in Chinese and English ones in English', () => {
      const wrong = corpus(spec.file)
        .filter((r) => (r.language === 'zh') !== HAN.test(r.text))
        .map((r) => `${r.language}: ${r.text}`)
      expect(wrong).toEqual([])
    })

    it('sounds like customers: some mixed Chinese–English and some emoji', () => {
      const zh = corpus(spec.file).filter((r) => r.language === 'zh')
      const all = corpus(spec.file)
      const mixed = zh.filter((r) => /[a-z]{2,}/i.test(r.text.replace(ORDER_NUMBER, ''))).length / zh.length
      const emoji = all.filter((r) => EMOJI.test(r.text)).length / all.length
      expect(mixed).toBeGreaterThanOrEqual(0.04)
      expect(mixed).toBeLessThanOrEqual(0.25)
      expect(emoji).toBeGreaterThanOrEqual(0.04)
    })

    if (spec.task === 'sentiment')
      it('has a score in [-1, 1] that agrees with the label', () => {
        const bad = corpus(spec.file).filter((r) => {
          const s = r.score
          if (typeof s !== 'number' || !(s >= -1 && s <= 1)) return true
          if (r.label === 'positive') return s <= 0.15
          if (r.label === 'negative') return s >= -0.15
          return Math.abs(s) > 0.15
        })
        expect(bad).toEqual([])
      })
  })
}

describe('train / test separation', () => {
  const describePair = (train: readonly CorpusRecord[], test: readonly CorpusRecord[]) =>
    findNearDuplicates(train, test, NEAR_DUPLICATE_THRESHOLD).map(
      (d) =>
        `${d.similarity.toFixed(2)}  train[${d.trainIndex}] "${d.train}"  ~  test[${d.testIndex}] "${d.test}"`,
    )

  it('no intent training example is a near-duplicate of an intent test example', () => {
    expect(describePair(recordsOf('intent', 'train'), recordsOf('intent', 'test'))).toEqual([])
  })

  it('no sentiment training example is a near-duplicate of a sentiment test example', () => {
    expect(describePair(recordsOf('sentiment', 'train'), recordsOf('sentiment', 'test'))).toEqual([])
  })

  it('no training example of any built-in corpus is a near-duplicate of any built-in test example', () => {
    const train = [...recordsOf('intent', 'train'), ...recordsOf('sentiment', 'train')]
    const test = [...recordsOf('intent', 'test'), ...recordsOf('sentiment', 'test')]
    expect(describePair(train, test)).toEqual([])
  })
})

describe('frozen test sets', () => {
  interface Fingerprints {
    files: Record<string, { sha256: string; records: number; frozen: string }>
  }
  const fingerprints = JSON.parse(readText('FINGERPRINTS.json')) as Fingerprints

  it('fingerprints every test file in data/nlu (a new test file must be versioned and recorded)', () => {
    const testFiles = readdirSync(DATA_DIR)
      .filter((f) => /-test(\.v\d+)?\.jsonl$/.test(f))
      .sort()
    expect(Object.keys(fingerprints.files).sort()).toEqual(testFiles)
  })

  for (const spec of CORPORA.filter((c) => c.split === 'test'))
    it(`${spec.file} is unchanged since it was frozen`, () => {
      const entry = fingerprints.files[spec.file]
      expect(entry, `${spec.file} missing from FINGERPRINTS.json`).toBeDefined()
      expect(corpus(spec.file)).toHaveLength(entry.records)
      expect(fingerprintJsonl(readText(spec.file))).toBe(entry.sha256)
    })
})
