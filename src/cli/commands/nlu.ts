import { readFileSync, writeFileSync } from 'node:fs'
import type { Command } from 'commander'
import { AppError } from '../../core/index.js'
import { cliActor } from '../../crm/index.js'
import {
  NLU_TASKS,
  TRAINING_SEED,
  forModel,
  readDataset,
  type LabelledText,
  type NluTask,
} from '../../learning/index.js'
import {
  crossValidate,
  evaluate,
  fingerprintExamples,
  loadTextClassifier,
  trainInWorker,
  type TextClassifier,
} from '../../nlp/index.js'
import { withApp } from '../context.js'
import { UsageError, createOutput, reportFailure } from '../output.js'

interface DataOptions {
  textColumn?: string
  labelColumn?: string
}

/** Reads a dataset and redacts it the way perception does, so models never learn personal data. */
function load(path: string, options: DataOptions): LabelledText[] {
  return forModel(
    readDataset(path, { textColumn: options.textColumn, labelColumn: options.labelColumn }).examples,
  )
}

function task(value: string): NluTask {
  if (!(NLU_TASKS as readonly string[]).includes(value)) {
    throw new UsageError(`unknown task "${value}"; known: ${NLU_TASKS.join(', ')}`)
  }
  return value as NluTask
}

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const number = Number(value)
  if (!Number.isInteger(number)) throw new UsageError(`${name} "${value}" must be a whole number`)
  return number
}

/** A model file, or a registered model by task name (`intent`, `sentiment`: the active version). */
async function resolveModel(reference: string): Promise<TextClassifier> {
  if ((NLU_TASKS as readonly string[]).includes(reference)) {
    return withApp({}, async (app) => {
      await app.ensureBuiltinModels((m) => process.stderr.write(`${m}\n`))
      const active = await app.models.active(reference)
      if (!active) throw new AppError('NLU_NO_ACTIVE_MODEL', `no active ${reference} model; train one first`)
      return loadTextClassifier(JSON.parse(active.artefact))
    })
  }
  let text: string
  try {
    text = readFileSync(reference, 'utf8')
  } catch (error) {
    throw new AppError(
      'NLU_MODEL_NOT_FOUND',
      `cannot read model file ${reference}: ${(error as Error).message}`,
    )
  }
  try {
    return loadTextClassifier(JSON.parse(text))
  } catch (error) {
    if (error instanceof AppError) throw error
    throw new AppError(
      'NLU_MODEL_NOT_FOUND',
      `${reference} is not an AgentCRM model file (${(error as Error).message})`,
    )
  }
}

function run(json: boolean, work: (out: ReturnType<typeof createOutput>) => Promise<void>) {
  const out = createOutput(json)
  return work(out).catch((error: unknown) => {
    process.exitCode = reportFailure(error, json)
  })
}

export function registerNluCommands(program: Command): void {
  const nlu = program
    .command('nlu')
    .description('language understanding: train, evaluate, predict, perceive, models')

  nlu
    .command('train')
    .description('train a text classifier on a CSV, TSV or JSONL file with any labels')
    .requiredOption('--task <task>', `defaults for ${NLU_TASKS.join(' or ')} (never restricts the labels)`)
    .requiredOption('--data <file>', 'training data (columns text,label by default)')
    .option('--validation <file>', 'validation data (default: 10% held out, then refit on everything)')
    .option('--folds <k>', 'also report k-fold cross-validation')
    .option('--text-column <name>', 'text column', 'text')
    .option('--label-column <name>', 'label column', 'label')
    .option('--oos-label <label>', 'the out-of-scope label (intent default: out_of_scope when present)')
    .option('--seed <s>', 'random seed', String(TRAINING_SEED))
    .requiredOption('--out <file>', 'where to write the model file')
    .option('--json', 'machine-readable output')
    .action(
      (
        options: DataOptions & {
          task: string
          data: string
          validation?: string
          folds?: string
          oosLabel?: string
          seed: string
          out: string
          json?: boolean
        },
      ) =>
        run(Boolean(options.json), async (out) => {
          const kind = task(options.task)
          const seed = integer('--seed', options.seed, TRAINING_SEED)
          const examples = load(options.data, options)
          const validation = options.validation ? load(options.validation, options) : 0.1
          const labels = new Set(examples.map((e) => e.label))
          const oosLabel =
            options.oosLabel ?? (kind === 'intent' && labels.has('out_of_scope') ? 'out_of_scope' : undefined)
          const started = Date.now()
          const { model, report } = await trainInWorker(examples, {
            seed,
            validation,
            oosLabel,
            classWeighting: true,
          })
          const seconds = (Date.now() - started) / 1000
          writeFileSync(options.out, JSON.stringify(model.toJSON()))
          const folds = options.folds ? integer('--folds', options.folds, 5) : null
          const cv = folds
            ? crossValidate(examples, folds, { seed, oosLabel, classWeighting: true })
            : undefined
          const result = {
            labels: model.labels,
            n_train: report.n_train,
            n_validation: report.n_validation,
            seconds,
            validation: report.validation
              ? {
                  accuracy: report.validation.accuracy,
                  macro_f1: report.validation.macro_f1,
                  ece: report.validation.ece,
                }
              : null,
            ...(cv ? { cross_validation: { k: cv.k, accuracy: cv.accuracy, macro_f1: cv.macro_f1 } } : {}),
            fingerprint: fingerprintExamples(examples),
            model: options.out,
          }
          out.result(result, () =>
            [
              `trained ${kind} model on ${report.n_train} examples (${model.labels.length} labels) in ${seconds.toFixed(1)} s → ${options.out}`,
              report.validation
                ? `validation: accuracy ${report.validation.accuracy.toFixed(3)}, macro-F1 ${report.validation.macro_f1.toFixed(3)}, ECE ${report.validation.ece.toFixed(3)}`
                : 'no validation data',
              cv
                ? `${cv.k}-fold: accuracy ${cv.accuracy.mean.toFixed(3)} ± ${cv.accuracy.std.toFixed(3)}`
                : '',
            ]
              .filter(Boolean)
              .join('\n'),
          )
        }),
    )

  nlu
    .command('evaluate')
    .description('evaluate a model file or a registered model (intent, sentiment) on labelled data')
    .requiredOption('--model <model>', 'a model file, or intent / sentiment for the active registered model')
    .requiredOption('--data <file>', 'labelled data')
    .option('--text-column <name>', 'text column', 'text')
    .option('--label-column <name>', 'label column', 'label')
    .option('--oos-label <label>', 'the out-of-scope label', 'out_of_scope')
    .option('--json', 'machine-readable output')
    .action((options: DataOptions & { model: string; data: string; oosLabel: string; json?: boolean }) =>
      run(Boolean(options.json), async (out) => {
        const examples = load(options.data, options)
        const model = await resolveModel(options.model)
        const report = evaluate(model.predict(examples.map((e) => e.text)), examples, {
          oosLabel: options.oosLabel,
        })
        out.result(report, () => {
          const lines = [
            `n ${report.n}  accuracy ${report.accuracy.toFixed(3)}  macro-F1 ${report.macro_f1.toFixed(3)}  weighted-F1 ${report.weighted_f1.toFixed(3)}  ECE ${report.ece.toFixed(3)}`,
            ...(report.oos
              ? [
                  `in-scope accuracy ${report.oos.in_scope_accuracy.toFixed(3)}  out-of-scope recall ${report.oos.oos_recall.toFixed(3)}`,
                ]
              : []),
            'label                      precision recall  f1     support',
            ...Object.entries(report.per_label).map(
              ([label, m]) =>
                `${label.padEnd(26)} ${m.precision.toFixed(3)}     ${m.recall.toFixed(3)}   ${m.f1.toFixed(3)}  ${m.support}`,
            ),
          ]
          return lines.join('\n')
        })
      }),
    )

  nlu
    .command('predict')
    .description('predict labels for texts')
    .requiredOption('--model <model>', 'a model file, or intent / sentiment')
    .argument('<text...>', 'one or more texts')
    .option('--json', 'machine-readable output')
    .action((texts: string[], options: { model: string; json?: boolean }) =>
      run(Boolean(options.json), async (out) => {
        const model = await resolveModel(options.model)
        const redacted = forModel(texts.map((text) => ({ text, label: '' }))).map((e) => e.text)
        const predictions = model.predict(redacted).map((p, i) => ({ text: texts[i], ...p }))
        out.result(predictions, () =>
          predictions
            .map(
              (p) =>
                `${p.label} (${p.confidence.toFixed(2)})  ${p.text}  ← ${p.evidence
                  .slice(0, 3)
                  .map((e) => e.feature)
                  .join(', ')}`,
            )
            .join('\n'),
        )
      }),
    )

  nlu
    .command('perceive')
    .description('perceive a message: language, intent, sentiment, entities, redacted text, urgency')
    .argument('<text>', 'the message')
    .option('--json', 'machine-readable output')
    .action((text: string, options: { json?: boolean }) =>
      run(Boolean(options.json), async (out) => {
        const perception = await withApp({}, async (app) => {
          await app.ensureBuiltinModels((m) => process.stderr.write(`${m}\n`))
          return app.nlu.perceive(text)
        })
        out.result(perception, () => JSON.stringify(perception, null, 2))
      }),
    )

  nlu
    .command('models')
    .description('list model versions with their metrics')
    .option('--task <task>', 'only this task')
    .option('--json', 'machine-readable output')
    .action((options: { task?: string; json?: boolean }) =>
      run(Boolean(options.json), async (out) => {
        const list = await withApp({}, (app) =>
          app.models.list(options.task ? task(options.task) : undefined),
        )
        out.result(
          list,
          () =>
            list
              .map(
                (m) =>
                  `${m.task.padEnd(10)} v${m.version}  ${m.status.padEnd(9)} ${m.source.padEnd(10)} ${JSON.stringify(m.metrics.test ?? m.metrics.validation ?? {})}`,
              )
              .join('\n') ||
            '(no models yet: `agentcrm serve` or `agentcrm nlu retrain` trains the built-in ones)',
        )
      }),
    )

  nlu
    .command('promote')
    .description('make a model version the active one')
    .argument('<task>')
    .argument('<version>')
    .option('--json', 'machine-readable output')
    .action((taskName: string, version: string, options: { json?: boolean }) =>
      run(Boolean(options.json), async (out) => {
        const promoted = await withApp({}, (app) =>
          app.models.promote(task(taskName), integer('version', version, 0), cliActor),
        )
        out.result(promoted, () => `${promoted.task} v${promoted.version} is active`)
      }),
    )

  nlu
    .command('rollback')
    .description('re-activate the previously promoted version')
    .argument('<task>')
    .option('--json', 'machine-readable output')
    .action((taskName: string, options: { json?: boolean }) =>
      run(Boolean(options.json), async (out) => {
        const active = await withApp({}, (app) => app.models.rollback(task(taskName), cliActor))
        out.result(active, () => `${active.task} v${active.version} is active again`)
      }),
    )

  nlu
    .command('retrain')
    .description(
      'retrain a built-in task on its corpus plus people’s corrections; promoted only if not worse on the frozen test set',
    )
    .requiredOption('--task <task>', NLU_TASKS.join(' or '))
    .option('--json', 'machine-readable output')
    .action((options: { task: string; json?: boolean }) =>
      run(Boolean(options.json), async (out) => {
        const kind = task(options.task)
        const result = await withApp({}, async (app) => {
          await app.ensureBuiltinModels((m) => process.stderr.write(`${m}\n`))
          // the same retrain as the API's training jobs (src/learning/retrain.ts), report stored with it
          const { report: _report, ...summary } = await app.training.retrain(kind, cliActor)
          return summary
        })
        out.result(
          result,
          () =>
            `${result.task} v${result.version}: test macro-F1 ${result.test.macro_f1.toFixed(3)} vs active ${result.active_test?.macro_f1.toFixed(3) ?? '—'} → ${result.promoted ? 'promoted' : 'kept as a candidate (worse on the frozen test set)'}`,
        )
      }),
    )
}
