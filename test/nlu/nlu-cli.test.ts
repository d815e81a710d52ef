import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'agentcrm-nlu-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/agentcrm.mjs', ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      AGENTCRM_DATABASE_URL: join(dir, 'db.sqlite'),
      AGENTCRM_DATA_DIR: join(dir, 'data'),
    },
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('agentcrm nlu on a user’s own CSV', () => {
  const rows = [
    ...[
      'card not arrived yet',
      'when will my card come',
      'still waiting for my new card',
      'card delivery time?',
      'my card has not been delivered',
      'how long for the card to arrive',
    ].map((t) => `${t},card_arrival`),
    ...[
      'I forgot my PIN',
      'how do I reset my pin',
      'change my PIN number',
      'pin blocked what now',
      'new PIN please',
      'cannot remember my pin code',
    ].map((t) => `${t},pin`),
    ...[
      'what is the exchange rate',
      'fx rate for euros',
      'how much is 1 usd in gbp',
      'currency exchange rates?',
      'rate to convert dollars',
      'exchange rate today',
    ].map((t) => `"${t}",exchange_rate`),
  ]
  const data = join(dir, 'bank.csv')
  writeFileSync(data, `utterance,intent\n${rows.join('\n')}\n`)

  it('trains with custom columns and prints exactly one JSON document', () => {
    const model = join(dir, 'bank.model.json')
    const result = cli(
      'nlu',
      'train',
      '--task',
      'intent',
      '--data',
      data,
      '--text-column',
      'utterance',
      '--label-column',
      'intent',
      '--seed',
      '7',
      '--out',
      model,
      '--json',
    )
    expect(result.code, result.stderr).toBe(0)
    const report = JSON.parse(result.stdout)
    expect(report.labels).toEqual(['card_arrival', 'exchange_rate', 'pin'])
    expect(report.n_train + report.n_validation).toBeGreaterThanOrEqual(18)
    expect(typeof report.seconds).toBe('number')
    expect(existsSync(model)).toBe(true)

    const evaluation = cli(
      'nlu',
      'evaluate',
      '--model',
      model,
      '--data',
      data,
      '--text-column',
      'utterance',
      '--label-column',
      'intent',
      '--json',
    )
    expect(evaluation.code, evaluation.stderr).toBe(0)
    const metrics = JSON.parse(evaluation.stdout)
    for (const key of [
      'n',
      'accuracy',
      'macro_f1',
      'micro_f1',
      'weighted_f1',
      'ece',
      'per_label',
      'confusion_matrix',
    ]) {
      expect(metrics).toHaveProperty(key)
    }
    expect(metrics.accuracy).toBeGreaterThan(0.8)
    expect(metrics.confusion_matrix.labels).toEqual(['card_arrival', 'exchange_rate', 'pin'])

    const predict = cli('nlu', 'predict', '--model', model, '--json', 'reset my pin please')
    expect(predict.code).toBe(0)
    expect(JSON.parse(predict.stdout)[0].label).toBe('pin')
  })

  it('fails with exit 1 and the error shape on a file without the columns, and exit 2 on a usage error', () => {
    const result = cli(
      'nlu',
      'train',
      '--task',
      'intent',
      '--data',
      data,
      '--out',
      join(dir, 'x.json'),
      '--json',
    )
    expect(result.code).toBe(1)
    const error = JSON.parse(result.stdout).error
    expect(error.code).toBe('NLU_INVALID_DATASET')
    expect(error.message).toMatch(/no "text" column; its columns are utterance, intent/)
    const usage = cli(
      'nlu',
      'train',
      '--task',
      'weather',
      '--data',
      data,
      '--out',
      join(dir, 'x.json'),
      '--json',
    )
    expect(usage.code).toBe(2)
    expect(cli('nlu', 'train', '--json').code).toBe(2)
  })
})
