import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router-dom'
import { ConfirmDialog } from '../../components/Modal'
import { DataState } from '../../components/DataState'
import { useToast } from '../../components/Toast'
import { api, type Page as ApiPage } from '../../lib/api'
import { formatDate } from '../../lib/format'
import { useSession } from '../../lib/session'
import { EnabledBadge, WorkflowsFrame } from './Frame'
import { RunTable } from './Runs'
import { WorkflowGraph } from './WorkflowGraph'
import type { Run, Workflow, WorkflowVersion } from './types'

/** `/workflows/:id`: the definition as a graph, enable/disable (admins), versions and recent runs. */
export function WorkflowDetail() {
  const { t } = useTranslation('workflows')
  const { id = '' } = useParams()
  const query = useQuery({ queryKey: ['workflow', id], queryFn: () => api.get<Workflow>(`/workflows/${id}`) })
  return (
    <DataState query={query} label={t('workflow')}>
      {(workflow) => <WorkflowView workflow={workflow} />}
    </DataState>
  )
}

function WorkflowView({ workflow }: { workflow: Workflow }) {
  const { t } = useTranslation('workflows')
  const session = useSession()
  const toast = useToast()
  const queryClient = useQueryClient()
  const [confirming, setConfirming] = useState(false)
  const toggle = useMutation({
    mutationFn: () =>
      api.post<Workflow>(`/workflows/${workflow.id}/${workflow.enabled ? 'disable' : 'enable'}`),
    onSuccess: (updated) => {
      queryClient.setQueryData(['workflow', workflow.id], updated)
      void queryClient.invalidateQueries({ queryKey: ['workflows'] })
      toast.success(updated.enabled ? t('nowEnabled') : t('nowDisabled'))
      setConfirming(false)
    },
    onError: (error) => {
      toast.error(error)
      setConfirming(false)
    },
  })
  const versions = useQuery({
    queryKey: ['workflow', workflow.id, 'versions'],
    queryFn: () => api.get<ApiPage<WorkflowVersion>>(`/workflows/${workflow.id}/versions`),
  })
  const runs = useQuery({
    queryKey: ['workflow-runs', { workflowKey: workflow.key }],
    queryFn: () => api.get<ApiPage<Run>>('/workflow-runs', { workflowKey: workflow.key, limit: 10 }),
  })
  return (
    <WorkflowsFrame
      title={workflow.name}
      actions={
        session.can('admin') && (
          <button
            type="button"
            className={`button ${workflow.enabled ? '' : 'button--primary'}`}
            onClick={() => setConfirming(true)}
          >
            {workflow.enabled ? t('disable') : t('enable')}
          </button>
        )
      }
    >
      <p className="wf__summary">
        <EnabledBadge enabled={workflow.enabled} /> <code>{workflow.key}</code> ·{' '}
        {t(`trigger.${workflow.triggerType}`, { defaultValue: workflow.triggerType })} ·{' '}
        {t('versionN', { version: workflow.version })} ·{' '}
        {t(`source.${workflow.source}`, { defaultValue: workflow.source })}
      </p>
      {workflow.description && <p className="small">{workflow.description}</p>}
      <section className="card" aria-labelledby="wf-graph-title">
        <h2 id="wf-graph-title">{t('graph.title')}</h2>
        <WorkflowGraph steps={workflow.definition.steps} />
      </section>
      <div className="wf__columns">
        <section className="card" aria-labelledby="wf-runs-title">
          <h2 id="wf-runs-title">{t('recentRuns')}</h2>
          <DataState
            query={runs}
            label={t('tabs.runs')}
            isEmpty={(page) => page.items.length === 0}
            empty={t('noRunsYet')}
          >
            {(page) => <RunTable runs={page.items} showWorkflow={false} />}
          </DataState>
          <Link to={`/workflows/runs?workflowKey=${encodeURIComponent(workflow.key)}`} className="small">
            {t('allRunsOf', { name: workflow.name })}
          </Link>
        </section>
        <section className="card" aria-labelledby="wf-versions-title">
          <h2 id="wf-versions-title">{t('versions')}</h2>
          <DataState query={versions} label={t('versions')} isEmpty={(page) => page.items.length === 0}>
            {(page) => (
              <ol className="wf__versions">
                {page.items.map((version) => (
                  <li key={version.id}>
                    <strong>{t('versionN', { version: version.version })}</strong>{' '}
                    <span className="muted small">{formatDate(version.createdAt)}</span>
                    {version.version === workflow.version && <> · {t('current')}</>}
                  </li>
                ))}
              </ol>
            )}
          </DataState>
        </section>
      </div>
      <ConfirmDialog
        open={confirming}
        title={
          workflow.enabled
            ? t('disableTitle', { name: workflow.name })
            : t('enableTitle', { name: workflow.name })
        }
        message={workflow.enabled ? t('disableText') : t('enableText')}
        confirmLabel={workflow.enabled ? t('disable') : t('enable')}
        danger={workflow.enabled}
        busy={toggle.isPending}
        onConfirm={() => toggle.mutate()}
        onCancel={() => setConfirming(false)}
      />
    </WorkflowsFrame>
  )
}
