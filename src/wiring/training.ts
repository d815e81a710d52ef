import type { Clock } from '../core/index.js'
import type { Actor } from '../crm/actor.js'
import {
  createTrainingJobs,
  frozenTestName,
  frozenTestReport,
  retrainTask,
  type NluService,
  type NluTask,
  type RetrainResult,
} from '../learning/index.js'
import { loadTextClassifier } from '../nlp/index.js'
import { createTrainingJobsRepository, type ModelRegistry, type RepositoryContext } from '../store/index.js'

/**
 * Training jobs and evaluation reports over the model registry (issue 6, item 5): the jobs run the
 * retrain of `src/learning` in this process (the training in a worker thread), store the new version's
 * frozen-test report, and reload the active models when it was promoted.
 */
export function createTrainingWiring(options: {
  context: RepositoryContext
  models: ModelRegistry
  nlu: NluService
  clock: Clock
}) {
  const { models, nlu } = options
  const repository = createTrainingJobsRepository(options.context)

  /** Retrains a task (see `retrainTask`), stores the new version's report, reloads promoted models. */
  async function retrain(
    task: NluTask,
    actor: Actor,
    retrainOptions: Parameters<typeof retrainTask>[3] = {},
  ): Promise<RetrainResult> {
    const result = await retrainTask(models, task, actor, retrainOptions)
    const version = await models.find(result.task, result.version)
    await repository.saveReport(version.id, frozenTestName(result.task), result.report)
    if (result.promoted) await nlu.refresh(true)
    return result
  }

  const jobs = createTrainingJobs({ jobs: repository, clock: options.clock, retrain })

  /**
   * The evaluation report of a model version on its task's frozen test set: stored at training time, or
   * computed from the artefact (and stored) for versions trained before reports were kept.
   */
  async function report(task: NluTask, versionNumber: number) {
    const version = await models.find(task, versionNumber)
    let stored = await repository.report(version.id)
    if (!stored) {
      const model = loadTextClassifier(JSON.parse(await models.artefact(task, versionNumber)))
      await repository.saveReport(version.id, frozenTestName(task), frozenTestReport(task, model))
      stored = await repository.report(version.id)
    }
    return {
      task,
      version: version.version,
      modelId: version.id,
      status: version.status,
      dataset: stored!.dataset,
      createdAt: stored!.createdAt,
      report: stored!.report,
    }
  }

  return { jobs, retrain, report, repository }
}

export type TrainingWiring = ReturnType<typeof createTrainingWiring>
