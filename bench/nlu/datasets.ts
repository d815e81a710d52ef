/**
 * The benchmark's datasets and splits (../shared/data, see its README): Banking77 holds out 20% of its
 * training file (stratified, seed 2026); CLINC150, CAIS and ChnSentiCorp train on their training file and
 * are scored on their validation file. Nothing is tuned on the scored part.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'csv-parse/sync'
import { stratifiedSplit } from '../../src/nlp/index.js'

export const DATA_DIR = fileURLToPath(new URL('../../../shared/data/', import.meta.url))
export const SPLIT_SEED = 2026

export interface Example {
  readonly text: string
  readonly label: string
}

export interface BenchSet {
  readonly name: string
  readonly language: 'en' | 'zh'
  readonly train: Example[]
  readonly test: Example[]
  readonly oosLabel?: string
  readonly split: string
}

function read(path: string, labelColumn = 'label'): Example[] {
  const rows = parse(readFileSync(DATA_DIR + path), { columns: true }) as Record<string, string>[]
  return rows.map((row) => ({ text: row.text, label: row[labelColumn] }))
}

export const SET_NAMES = ['banking77', 'clinc150', 'cais', 'chnsenticorp'] as const
export type SetName = (typeof SET_NAMES)[number]

export function hasData(): boolean {
  return existsSync(DATA_DIR)
}

export function loadSet(name: SetName): BenchSet {
  switch (name) {
    case 'banking77': {
      const all = read('banking77/train.csv', 'category')
      const split = stratifiedSplit(
        all.map((example) => example.label),
        0.2,
        SPLIT_SEED,
      )
      return {
        name,
        language: 'en',
        train: split.train.map((i) => all[i]),
        test: split.test.map((i) => all[i]),
        split: `train.csv, stratified 80/20, seed ${SPLIT_SEED}`,
      }
    }
    case 'clinc150':
      return {
        name,
        language: 'en',
        train: read('clinc150/train.csv'),
        test: read('clinc150/val.csv'),
        oosLabel: 'oos',
        split: 'train.csv → val.csv (oos included)',
      }
    case 'cais':
      return {
        name,
        language: 'zh',
        train: read('cais/train.csv'),
        test: read('cais/valid.csv'),
        split: 'train → valid',
      }
    case 'chnsenticorp':
      return {
        name,
        language: 'zh',
        train: read('chnsenticorp/train.csv'),
        test: read('chnsenticorp/dev.csv'),
        split: 'train → dev',
      }
  }
}

/** Distinct raw texts of the scored part, for throughput. */
export function distinctTexts(set: BenchSet): string[] {
  return [...new Set(set.test.map((example) => example.text))]
}
