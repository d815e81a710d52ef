/**
 * `npm run bench:perceive` — latency of `perceive()` for one message at a time, in process, no LLM: the
 * built-in models trained from data/nlu, the demo catalogue as gazetteer, and 2,000 demo customer messages
 * (Chinese and English, short and long). Reports p50/p90/p99/max in microseconds on one core, and writes
 * bench/results/perceive.json.
 */
import { writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { perceive } from '../../src/agent/index.js'
import {
  generateConversations,
  generateCustomers,
  generateOrders,
  generateProducts,
} from '../../src/crm/demo/index.js'
import { builtinCorpus, forModel, TRAINING_SEED } from '../../src/learning/index.js'
import { trainTextClassifier } from '../../src/nlp/index.js'

const ROOT = new URL('../..', import.meta.url).pathname
const now = new Date('2026-11-25T02:00:00.000Z')

const intent = trainTextClassifier(forModel(builtinCorpus('intent').train), {
  seed: TRAINING_SEED,
  validation: 0.1,
  oosLabel: 'out_of_scope',
  classWeighting: true,
}).model
const sentiment = trainTextClassifier(forModel(builtinCorpus('sentiment').train), {
  seed: TRAINING_SEED,
  validation: 0.1,
  classWeighting: true,
}).model
const products = generateProducts().map((p, i) => ({
  id: `prd_${i}`,
  names: [p.name.zh, p.name.en, ...p.aliases.zh, ...p.aliases.en],
}))

const texts: string[] = []
const options = { customers: 3000, seed: 11, now }
for (const customer of generateCustomers(options)) {
  const orders = [...generateOrders(options, customer)]
  for (const conversation of generateConversations(options, customer, orders)) {
    for (const message of conversation.messages) if (message.direction === 'inbound') texts.push(message.text)
  }
  if (texts.length >= 2000) break
}

const context = { now, timeZone: 'Asia/Shanghai', products, models: { intent, sentiment } }
for (const text of texts.slice(0, 300)) perceive(text, context) // warm up: jieba's dictionary, JIT

const durations: number[] = []
const loop = monitorEventLoopDelay()
loop.enable()
for (let round = 0; round < 3; round++) {
  for (const text of texts) {
    const started = process.hrtime.bigint()
    perceive(text, { ...context, customerName: undefined })
    durations.push(Number(process.hrtime.bigint() - started) / 1000)
  }
}
loop.disable()
durations.sort((a, b) => a - b)
const at = (q: number) =>
  Math.round(durations[Math.min(durations.length - 1, Math.floor(q * durations.length))] * 10) / 10
const result = {
  benchmark: 'perceive',
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
  messages: texts.length,
  runs: durations.length,
  averageCharacters: Math.round(texts.reduce((sum, t) => sum + t.length, 0) / texts.length),
  microseconds: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) },
  messagesPerSecond: Math.round(1e6 / (durations.reduce((a, b) => a + b, 0) / durations.length)),
  floors: { p99Microseconds: 1000, stretchP99Microseconds: 500 },
}
writeFileSync(`${ROOT}bench/results/perceive.json`, `${JSON.stringify(result, null, 2)}\n`)
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
