import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readDataset } from './datasets.js'

const dir = mkdtempSync(join(tmpdir(), 'agentcrm-datasets-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

describe('readDataset', () => {
  it('reads CSV with quotes, commas and Chinese, TSV and JSONL, with custom columns', () => {
    const csv = file(
      'a.csv',
      '\uFEFFtext,label\n"where is it, please",order_status\n我要退款,refund_request\n,empty\n',
    )
    expect(readDataset(csv)).toEqual({
      examples: [
        { text: 'where is it, please', label: 'order_status' },
        { text: '我要退款', label: 'refund_request' },
      ],
      skipped: 1,
    })
    const tsv = file('a.tsv', 'utterance\tintent\nhi "there"\tgreeting\n')
    expect(readDataset(tsv, { textColumn: 'utterance', labelColumn: 'intent' }).examples).toEqual([
      { text: 'hi "there"', label: 'greeting' },
    ])
    const jsonl = file('a.jsonl', '{"text":"谢谢","label":"thanks_goodbye"}\n\n{"text":"bye","label":1}\n')
    expect(readDataset(jsonl).examples).toEqual([
      { text: '谢谢', label: 'thanks_goodbye' },
      { text: 'bye', label: '1' },
    ])
  })

  it('refuses bad files with a message naming the problem', () => {
    expect(() => readDataset(join(dir, 'missing.csv'))).toThrow(/cannot read/)
    expect(() => readDataset(file('empty.csv', ''))).toThrow(/is empty/)
    expect(() => readDataset(file('header.csv', 'text,label\n'))).toThrow(/no examples/)
    expect(() => readDataset(file('cols.csv', 'sentence,category\nhi,greeting\n'))).toThrow(
      /no "text" column; its columns are sentence, category/,
    )
    expect(() =>
      readDataset(
        file(
          'gbk.csv',
          Buffer.from([0x74, 0x65, 0x78, 0x74, 0x2c, 0x6c, 0x0a, 0xc4, 0xe3, 0x2c, 0x61, 0x0a]),
        ),
      ),
    ).toThrow(/not UTF-8/)
    expect(() => readDataset(file('nolabel.csv', 'text,label\nhello,\n'))).toThrow(
      /row 1 has an empty "label"/,
    )
    expect(() => readDataset(file('bad.jsonl', '{"text":"a","label":"b"}\nnot json\n'))).toThrow(
      /line 2 is not a JSON object/,
    )
  })
})
