import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams, useSearchParams } from 'react-router-dom'
import { Badge, type BadgeTone } from '../../components/Badge'
import { DataState } from '../../components/DataState'
import { ConfirmDialog } from '../../components/Modal'
import { useToast } from '../../components/Toast'
import { api, type Page as ApiPage } from '../../lib/api'
import { formatDate } from '../../lib/format'
import { useSession } from '../../lib/session'
import { WorkflowsFrame } from './Frame'
import { WorkflowGraph } from './WorkflowGraph'
import { RUN_STATUSES, type Run, type RunStep, type WorkflowDefinition } from './types'

const RUN_TONES: Record<string, BadgeTone> = {
  running: 'info',
  waiting: 'info',
  done: 'success',
  failed: 'danger',
  cancelled: 'neutral',
  retrying: 'warning',
}

export function RunStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation('workflows')
  return (
    <Badge tone={RUN_TONES[status] ?? 'neutral'}>{t(`runStatus.${status}`, { defaultValue: status })}</Badge>
  )
}

/** Runs in a table: workflow, status, current step, started, last change. */
export function RunTable({ runs, showWorkflow = true }: { runs: readonly Run[]; showWorkflow?: boolean }) {
  const { t } = useTranslation('workflows')
  return (
    <div className="wf__table-scroll">
      <table className="table" data-testid="run-table">
        <thead>
          <tr>
            <th scope="col">{t('run.run')}</th>
            {showWorkflow && <th scope="col">{t('run.workflow')}</th>}
            <th scope="col">{t('run.status')}</th>
            <th scope="col">{t('run.currentStep')}</th>
            <th scope="col">{t('run.started')}</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id}>
              <td>
                <Link to={`/workflows/runs/${run.id}`} aria-label={t('run.open', { id: run.id })}>
                  <code>{run.id.slice(-8)}</code>
                </Link>
              </td>
              {showWorkflow && (
                <td>
                  <code>{run.workflowKey}</code>
                </td>
              )}
              <td>
                <RunStatusBadge status={run.status} />
              </td>
              <td>{run.currentStep ?? '—'}</td>
              <td>{formatDate(run.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** `/workflows/runs?status=failed&workflowKey=…`: runs newest first. */
export function RunList() {
  const { t } = useTranslation('workflows')
  const id = useId()
  const [params, setParams] = useSearchParams()
  const status = params.get('status') ?? ''
  const workflowKey = params.get('workflowKey') ?? ''
  const [cursors, setCursors] = useState<string[]>([])
  const cursor = cursors.at(-1)
  const query = useQuery({
    queryKey: ['workflow-runs', { status, workflowKey, cursor }],
    queryFn: () => api.get<ApiPage<Run>>('/workflow-runs', { status, workflowKey, cursor, limit: 25 }),
    placeholderData: keepPreviousData,
  })
  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params)
    if (value) next.set(key, value)
    else next.delete(key)
    setCursors([])
    setParams(next, { replace: true })
  }
  return (
    <WorkflowsFrame title={t('runsTitle')}>
      <div className="wf__filters">
        <div className="form-field">
          <label htmlFor={`${id}-status`}>{t('run.status')}</label>
          <select
            id={`${id}-status`}
            value={status}
            onChange={(event) => setFilter('status', event.target.value)}
          >
            <option value="">{t('anyStatus')}</option>
            {RUN_STATUSES.map((value) => (
              <option key={value} value={value}>
                {t(`runStatus.${value}`)}
              </option>
            ))}
          </select>
        </div>
        {workflowKey && (
          <p className="small">
            {t('filteredBy', { key: workflowKey })}{' '}
            <button
              type="button"
              className="button button--small button--ghost"
              onClick={() => setFilter('workflowKey', '')}
            >
              {t('clearFilter')}
            </button>
          </p>
        )}
      </div>
      <DataState
        query={query}
        label={t('tabs.runs')}
        isEmpty={(page) => page.items.length === 0}
        empty={status === 'failed' ? t('noFailedRuns') : t('noRuns')}
      >
        {(page) => (
          <>
            <RunTable runs={page.items} />
            <div className="form-buttons form-buttons--start wf__pager">
              {cursors.length > 0 && (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => setCursors(cursors.slice(0, -1))}
                >
                  {t('previousPage')}
                </button>
              )}
              {page.nextCursor && (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => setCursors([...cursors, page.nextCursor as string])}
                >
                  {t('nextPage')}
                </button>
              )}
            </div>
          </>
        )}
      </DataState>
    </WorkflowsFrame>
  )
}

type RunWithSteps = Run & { steps: RunStep[] }

/** `/workflows/runs/:id`: the run, its graph with step statuses, the step timeline; retry and cancel. */
export function RunDetail() {
  const { t } = useTranslation('workflows')
  const { id = '' } = useParams()
  const query = useQuery({
    queryKey: ['workflow-run', id],
    queryFn: () => api.get<RunWithSteps>(`/workflow-runs/${id}`),
    refetchInterval: (current) =>
      current.state.data && ['running', 'waiting'].includes(current.state.data.status) ? 3_000 : false,
  })
  return (
    <DataState query={query} label={t('run.run')}>
      {(run) => <RunView run={run} />}
    </DataState>
  )
}

function RunView({ run }: { run: RunWithSteps }) {
  const { t } = useTranslation('workflows')
  const session = useSession()
  const toast = useToast()
  const queryClient = useQueryClient()
  const [confirmCancel, setConfirmCancel] = useState(false)
  const act = useMutation({
    mutationFn: (verb: 'retry' | 'cancel') => api.post<Run>(`/workflow-runs/${run.id}/${verb}`),
    onSuccess: (_updated, verb) => {
      void queryClient.invalidateQueries({ queryKey: ['workflow-run', run.id] })
      void queryClient.invalidateQueries({ queryKey: ['workflow-runs'] })
      toast.success(verb === 'retry' ? t('retried') : t('cancelled'))
      setConfirmCancel(false)
    },
    onError: (error) => {
      toast.error(error)
      setConfirmCancel(false)
    },
  })
  // the definition of the run's version, to draw the graph with each step's latest status
  const versions = useQuery({
    queryKey: ['workflow', run.workflowId, 'versions'],
    queryFn: () =>
      api.get<ApiPage<{ id: string; version: number; definition: WorkflowDefinition }>>(
        `/workflows/${run.workflowId}/versions`,
      ),
  })
  const definition = versions.data?.items.find(
    (version) => version.version === run.workflowVersion,
  )?.definition
  const statuses: Record<string, string> = {}
  for (const step of run.steps) statuses[step.stepId] = step.status
  const canAct = session.can('agent')
  return (
    <WorkflowsFrame
      title={t('runTitle', { key: run.workflowKey })}
      actions={
        canAct && (
          <>
            {run.status === 'failed' && (
              <button
                type="button"
                className="button button--primary"
                disabled={act.isPending}
                onClick={() => act.mutate('retry')}
              >
                {t('retry')}
              </button>
            )}
            {['running', 'waiting', 'failed'].includes(run.status) && (
              <button
                type="button"
                className="button button--danger"
                disabled={act.isPending}
                onClick={() => setConfirmCancel(true)}
              >
                {t('cancel')}
              </button>
            )}
          </>
        )
      }
    >
      <dl className="wf__facts" data-testid="run-facts">
        <div>
          <dt>{t('run.status')}</dt>
          <dd>
            <RunStatusBadge status={run.status} />
          </dd>
        </div>
        <div>
          <dt>{t('run.workflow')}</dt>
          <dd>
            <Link to={`/workflows/${run.workflowId}`}>{run.workflowKey}</Link> ·{' '}
            {t('versionN', { version: run.workflowVersion })}
          </dd>
        </div>
        <div>
          <dt>{t('run.started')}</dt>
          <dd>{formatDate(run.createdAt)}</dd>
        </div>
        <div>
          <dt>{t('run.finished')}</dt>
          <dd>{formatDate(run.finishedAt)}</dd>
        </div>
        {run.conversationId && (
          <div>
            <dt>{t('run.conversation')}</dt>
            <dd>
              <Link to={`/inbox/${run.conversationId}`}>{t('run.openConversation')}</Link>
            </dd>
          </div>
        )}
      </dl>
      {run.error && (
        <p className="form-error" role="alert">
          {run.error}
        </p>
      )}
      <div className="wf__columns wf__columns--run">
        <section className="card" aria-labelledby="wf-timeline-title">
          <h2 id="wf-timeline-title">{t('timeline.title')}</h2>
          {run.steps.length === 0 ? (
            <p className="muted">{t('timeline.empty')}</p>
          ) : (
            <ol className="wf__timeline" data-testid="run-timeline">
              {run.steps.map((step) => (
                <li key={step.id} className={`wf__timeline-item wf__timeline-item--${step.status}`}>
                  <div className="wf__timeline-head">
                    <strong>{step.stepId}</strong>
                    <span className="muted small">
                      {t(`stepType.${step.stepType}`, { defaultValue: step.stepType })}
                    </span>
                    <RunStatusBadge status={step.status} />
                  </div>
                  <p className="small muted wf__timeline-meta">
                    {t('timeline.attempt', { attempt: step.attempt })} ·{' '}
                    {formatDate(step.startedAt, 'datetime')} → {formatDate(step.finishedAt, 'time')}
                    {step.nextStep && <> · {t('timeline.next', { step: step.nextStep })}</>}
                  </p>
                  {step.error && <p className="small wf__timeline-error">{step.error}</p>}
                </li>
              ))}
            </ol>
          )}
        </section>
        <section className="card" aria-labelledby="wf-run-graph-title">
          <h2 id="wf-run-graph-title">{t('graph.title')}</h2>
          <DataState query={versions} label={t('graph.title')}>
            {() =>
              definition ? (
                <WorkflowGraph steps={definition.steps} statuses={statuses} />
              ) : (
                <p className="muted">{t('graph.missing')}</p>
              )
            }
          </DataState>
        </section>
      </div>
      <ConfirmDialog
        open={confirmCancel}
        title={t('cancelTitle')}
        message={t('cancelText')}
        confirmLabel={t('cancel')}
        danger
        busy={act.isPending}
        onConfirm={() => act.mutate('cancel')}
        onCancel={() => setConfirmCancel(false)}
      />
    </WorkflowsFrame>
  )
}
