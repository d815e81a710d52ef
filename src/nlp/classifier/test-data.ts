/**
 * Test fixtures only (imported by *.test.ts, never by the library): a tiny bilingual intent set written
 * here, and a reader for the public datasets in ../shared/data (tests that need them are skipped when the
 * folder is absent).
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'csv-parse/sync'
import type { TrainingExample } from './types.js'

export const TINY_BILINGUAL: TrainingExample[] = [
  { text: 'I want a refund', label: 'refund' },
  { text: 'please give me my money back', label: 'refund' },
  { text: 'refund my order now', label: 'refund' },
  { text: 'can I get a refund for this?', label: 'refund' },
  { text: '我要退款', label: 'refund' },
  { text: '请把钱退给我', label: 'refund' },
  { text: '退款什么时候到账', label: 'refund' },
  { text: '這個能退錢嗎', label: 'refund' },
  { text: 'where is my package', label: 'order_status' },
  { text: 'has my order shipped yet?', label: 'order_status' },
  { text: 'track my parcel please', label: 'order_status' },
  { text: 'when will my order arrive', label: 'order_status' },
  { text: '我的快递到哪了', label: 'order_status' },
  { text: '订单发货了吗', label: 'order_status' },
  { text: '包裹什么时候到', label: 'order_status' },
  { text: '查一下物流', label: 'order_status' },
  { text: 'hello there', label: 'greeting' },
  { text: 'hi 👋', label: 'greeting' },
  { text: 'good morning', label: 'greeting' },
  { text: 'hey, anyone here?', label: 'greeting' },
  { text: '你好', label: 'greeting' },
  { text: '在吗', label: 'greeting' },
  { text: '早上好', label: 'greeting' },
  { text: '哈喽 😊', label: 'greeting' },
]

export const SHARED_DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url))
export const HAS_SHARED_DATA = existsSync(SHARED_DATA)

/** Rows of a shared-data CSV with columns `text` and `labelColumn`. */
export function readSharedCsv(path: string, labelColumn = 'label'): TrainingExample[] {
  const rows = parse(readFileSync(SHARED_DATA + path), { columns: true }) as Record<string, string>[]
  return rows.map((row) => ({ text: row.text, label: row[labelColumn] }))
}
