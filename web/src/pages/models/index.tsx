import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, Route, Routes } from 'react-router-dom'
import { DataState } from '../../components/DataState'
import { ConfirmDialog } from '../../components/Modal'
import { Page } from '../../components/Page'
import { useToast } from '../../components/Toast'
import { api, type Page as ApiPage } from '../../lib/api'
import { formatDate, formatPercent } from '../../lib/format'
import { useSession } from '../../lib/session'
import { ReportPage } from './Report'
import { MODELS_KEY, ModelStatusBadge } from './shared'
import { TrainingPanel } from './Training'
import { NLU_TASKS, testMetric, type ModelVersion, type NluTask } from './types'
import '../../components/forms.css'
import './models.css'

/**
 * Models: `/models` shows the versions of each task with their frozen-test metrics, promote and roll back
 * (admins, confirmed), and training jobs with live progress; `/models/:task/:version` is a version's
 * evaluation report.
 */
export default function ModelsPage() {
  return (
    <Routes>
      <Route index element={<ModelList />} />
      <Route path=":task/:version" element={<ReportPage />} />
    </Routes>
  )
}

function ModelList() {
  const { t } = useTranslation('models')
  const query = useQuery({
    queryKey: MODELS_KEY,
    queryFn: () => api.get<ApiPage<ModelVersion>>('/nlu/models'),
  })
  return (
    <Page title={t('title')}>
      <p className="muted">{t('intro')}</p>
      <DataState
        query={query}
        label={t('versions')}
        isEmpty={(page) => page.items.length === 0}
        empty={t('noModels')}
      >
        {(page) => (
          <div className="models__tasks">
            {NLU_TASKS.map((task) => (
              <TaskCard key={task} task={task} versions={page.items.filter((model) => model.task === task)} />
            ))}
          </div>
        )}
      </DataState>
    </Page>
  )
}

type Pending = { kind: 'promote'; version: number } | { kind: 'rollback' } | null

function TaskCard({ task, versions }: { task: NluTask; versions: ModelVersion[] }) {
  const { t } = useTranslation('models')
  const session = useSession()
  const toast = useToast()
  const queryClient = useQueryClient()
  const [pending, setPending] = useState<Pending>(null)
  const active = versions.find((model) => model.status === 'active')
  const canRollBack = versions.some((model) => model.status !== 'active' && model.promotedAt !== null)
  const change = useMutation({
    mutationFn: (action: Exclude<Pending, null>) =>
      action.kind === 'promote'
        ? api.post<ModelVersion>(`/nlu/models/${task}/${action.version}/promote`)
        : api.post<ModelVersion>(`/nlu/models/${task}/rollback`),
    onSuccess: (model) => {
      void queryClient.invalidateQueries({ queryKey: MODELS_KEY })
      toast.success(t('nowActive', { task: t(`task.${task}`), version: model.version }))
      setPending(null)
    },
    onError: (error) => {
      toast.error(error)
      setPending(null)
    },
  })
  const headingId = `models-${task}`
  return (
    <section className="card models__task" aria-labelledby={headingId} data-testid={`task-${task}`}>
      <div className="models__task-head">
        <h2 id={headingId}>{t(`task.${task}`)}</h2>
        {session.can('admin') && canRollBack && (
          <button
            type="button"
            className="button button--small"
            onClick={() => setPending({ kind: 'rollback' })}
          >
            {t('rollback')}
          </button>
        )}
      </div>
      {active ? (
        <p className="small">
          {t('activeSummary', {
            version: active.version,
            accuracy: formatPercent(testMetric(active, 'accuracy'), 1),
            f1: formatPercent(testMetric(active, 'macro_f1'), 1),
          })}
        </p>
      ) : (
        <p className="muted small">{t('noActive')}</p>
      )}
      {versions.length === 0 ? (
        <p className="muted">{t('noVersions')}</p>
      ) : (
        <div className="models__table-scroll">
          <table className="table models__versions">
            <caption className="visually-hidden">{t('versionsOf', { task: t(`task.${task}`) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('column.version')}</th>
                <th scope="col">{t('column.status')}</th>
                <th scope="col">{t('column.source')}</th>
                <th scope="col" className="num">
                  {t('column.accuracy')}
                </th>
                <th scope="col" className="num">
                  {t('column.macroF1')}
                </th>
                <th scope="col" className="num">
                  {t('column.ece')}
                </th>
                <th scope="col">{t('column.created')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('column.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {versions.map((model) => (
                <tr key={model.id}>
                  <th scope="row">v{model.version}</th>
                  <td>
                    <ModelStatusBadge status={model.status} />
                  </td>
                  <td>{t(`source.${model.source}`, { defaultValue: model.source })}</td>
                  <td className="num">{formatPercent(testMetric(model, 'accuracy'), 1)}</td>
                  <td className="num">{formatPercent(testMetric(model, 'macro_f1'), 1)}</td>
                  <td className="num">{formatPercent(testMetric(model, 'ece'), 1)}</td>
                  <td>{formatDate(model.createdAt)}</td>
                  <td>
                    <div className="models__row-actions">
                      <Link
                        to={`${task}/${model.version}`}
                        className="button button--small"
                        aria-label={t('reportOf', { task: t(`task.${task}`), version: model.version })}
                      >
                        {t('report')}
                      </Link>
                      {session.can('admin') && model.status !== 'active' && (
                        <button
                          type="button"
                          className="button button--small"
                          onClick={() => setPending({ kind: 'promote', version: model.version })}
                          aria-label={t('promoteVersion', { version: model.version })}
                        >
                          {t('promote')}
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <TrainingPanel task={task} />
      <ConfirmDialog
        open={pending !== null}
        title={
          pending?.kind === 'promote'
            ? t('promoteTitle', { task: t(`task.${task}`), version: pending.version })
            : t('rollbackTitle', { task: t(`task.${task}`) })
        }
        message={pending?.kind === 'promote' ? t('promoteText') : t('rollbackText')}
        confirmLabel={pending?.kind === 'promote' ? t('promote') : t('rollback')}
        busy={change.isPending}
        onConfirm={() => pending && change.mutate(pending)}
        onCancel={() => setPending(null)}
      />
    </section>
  )
}
