import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link, Route, Routes } from 'react-router-dom'
import { DataState } from '../../components/DataState'
import { api, type Page as ApiPage } from '../../lib/api'
import { formatDate } from '../../lib/format'
import { ApprovalsQueue } from './Approvals'
import { EnabledBadge, WorkflowsFrame } from './Frame'
import { RunDetail, RunList } from './Runs'
import { WorkflowDetail } from './WorkflowDetail'
import type { Workflow } from './types'
import '../../components/forms.css'
import './workflows.css'

/**
 * Workflows: `/workflows` lists the definitions, `/workflows/:id` draws one as a graph (enable, disable,
 * versions, its runs), `/workflows/runs` lists runs by status, `/workflows/runs/:id` is a run's step
 * timeline (retry, cancel), `/workflows/approvals` the drafts waiting for a person.
 */
export default function WorkflowsPage() {
  return (
    <Routes>
      <Route index element={<WorkflowList />} />
      <Route path="runs" element={<RunList />} />
      <Route path="runs/:id" element={<RunDetail />} />
      <Route path="approvals" element={<ApprovalsQueue />} />
      <Route path=":id" element={<WorkflowDetail />} />
    </Routes>
  )
}

function WorkflowList() {
  const { t } = useTranslation('workflows')
  const query = useQuery({
    queryKey: ['workflows'],
    queryFn: () => api.get<ApiPage<Workflow>>('/workflows', { limit: 200, sort: 'key' }),
  })
  return (
    <WorkflowsFrame title={t('title')}>
      <DataState
        query={query}
        label={t('tabs.workflows')}
        isEmpty={(page) => page.items.length === 0}
        empty={t('noWorkflows')}
      >
        {(page) => (
          <ul className="wf__cards" data-testid="workflow-list">
            {page.items.map((workflow) => (
              <li key={workflow.id} className="card wf__card">
                <div className="wf__card-head">
                  <Link to={workflow.id} className="wf__card-title">
                    {workflow.name}
                  </Link>
                  <EnabledBadge enabled={workflow.enabled} />
                </div>
                {workflow.description && <p className="small wf__card-text">{workflow.description}</p>}
                <p className="muted small wf__card-meta">
                  <code>{workflow.key}</code> ·{' '}
                  {t(`trigger.${workflow.triggerType}`, { defaultValue: workflow.triggerType })} ·{' '}
                  {t('versionN', { version: workflow.version })} ·{' '}
                  {t('stepCount', { count: workflow.definition.steps.length })} ·{' '}
                  {t('updated', { when: formatDate(workflow.updatedAt) })}
                </p>
              </li>
            ))}
          </ul>
        )}
      </DataState>
    </WorkflowsFrame>
  )
}
