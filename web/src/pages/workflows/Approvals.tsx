import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router-dom'
import { DataState } from '../../components/DataState'
import { useToast } from '../../components/Toast'
import { api, type Page as ApiPage } from '../../lib/api'
import { formatDate } from '../../lib/format'
import { useSession } from '../../lib/session'
import { WorkflowsFrame } from './Frame'
import type { Approval } from './types'

/** `/workflows/approvals`: drafts waiting for a person (agents and admins); approve, edit or reject each. */
export function ApprovalsQueue() {
  const { t } = useTranslation('workflows')
  const session = useSession()
  return (
    <WorkflowsFrame title={t('approvals.title')}>
      {session.can('agent') ? <Queue /> : <p className="muted">{t('approvals.agentsOnly')}</p>}
    </WorkflowsFrame>
  )
}

function Queue() {
  const { t } = useTranslation('workflows')
  const query = useQuery({
    queryKey: ['approvals', { status: 'pending' }],
    queryFn: () => api.get<ApiPage<Approval>>('/approvals', { status: 'pending', limit: 50 }),
  })
  return (
    <DataState
      query={query}
      label={t('approvals.title')}
      isEmpty={(page) => page.items.length === 0}
      empty={t('approvals.empty')}
    >
      {(page) => (
        <ul className="wf__approvals" data-testid="approvals">
          {page.items.map((approval) => (
            <ApprovalCard key={approval.id} approval={approval} />
          ))}
        </ul>
      )}
    </DataState>
  )
}

function ApprovalCard({ approval }: { approval: Approval }) {
  const { t } = useTranslation('workflows')
  const toast = useToast()
  const queryClient = useQueryClient()
  const id = useId()
  const [editing, setEditing] = useState(false)
  const [text, setText] = useState(approval.draftText)
  const decide = useMutation({
    mutationFn: (body: { action: 'approve' | 'edit' | 'reject'; text?: string }) =>
      api.post(`/approvals/${approval.id}`, body),
    onSuccess: (_result, body) => {
      void queryClient.invalidateQueries({ queryKey: ['approvals'] })
      void queryClient.invalidateQueries({ queryKey: ['messages', approval.conversationId] })
      toast.success(t(`approvals.done.${body.action}`))
    },
    onError: (error) => toast.error(error),
  })
  return (
    <li className="card wf__approval">
      <p className="muted small">
        {t(`approvals.reason.${approval.reason}`, { defaultValue: approval.reason })} ·{' '}
        {formatDate(approval.createdAt)} ·{' '}
        <Link to={`/inbox/${approval.conversationId}`}>{t('approvals.openConversation')}</Link>
      </p>
      {editing ? (
        <div className="form-field">
          <label htmlFor={`${id}-text`}>{t('approvals.editLabel')}</label>
          <textarea
            id={`${id}-text`}
            rows={5}
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        </div>
      ) : (
        <blockquote className="wf__draft">{approval.draftText}</blockquote>
      )}
      <div className="form-buttons form-buttons--start">
        {editing ? (
          <>
            <button
              type="button"
              className="button button--primary"
              disabled={decide.isPending || text.trim() === ''}
              onClick={() => decide.mutate({ action: 'edit', text })}
            >
              {t('approvals.sendEdited')}
            </button>
            <button type="button" className="button" onClick={() => setEditing(false)}>
              {t('common:actions.cancel')}
            </button>
          </>
        ) : (
          <>
            <button
              type="button"
              className="button button--primary"
              disabled={decide.isPending}
              onClick={() => decide.mutate({ action: 'approve' })}
            >
              {t('approvals.approve')}
            </button>
            <button type="button" className="button" onClick={() => setEditing(true)}>
              {t('common:actions.edit')}
            </button>
            <button
              type="button"
              className="button button--danger"
              disabled={decide.isPending}
              onClick={() => decide.mutate({ action: 'reject' })}
            >
              {t('approvals.reject')}
            </button>
          </>
        )}
      </div>
    </li>
  )
}
