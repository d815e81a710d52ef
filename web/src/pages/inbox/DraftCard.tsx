import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Badge } from '../../components/Badge'
import { useToast } from '../../components/Toast'
import { api } from '../../lib/api'
import { formatRelative } from '../../lib/format'
import type { Approval } from './types'

/** A draft waiting for a person: approve it as drafted, edit and send, or reject it. */
export function DraftCard({ approval, onDone }: { approval: Approval; onDone: () => Promise<void> }) {
  const { t } = useTranslation('inbox')
  const toast = useToast()
  const [editing, setEditing] = useState(false)
  const [text, setText] = useState(approval.draftText)
  const decide = useMutation({
    mutationFn: (body: { action: 'approve' | 'edit' | 'reject'; text?: string }) =>
      api.post(`/approvals/${approval.id}`, body, {
        headers: { 'idempotency-key': `${approval.id}:${body.action}` },
      }),
    onSuccess: async (_result, body) => {
      toast.success(t(`draft.${body.action}d`))
      await onDone()
    },
    onError: (error) => toast.error(error),
  })
  return (
    <div className="draft card" data-testid="draft">
      <div className="draft__meta">
        <Badge tone="warning">{t('draft.label')}</Badge>
        <span className="muted small">
          {t(`draft.reason.${approval.reason}`, { defaultValue: approval.reason })} ·{' '}
          {formatRelative(approval.createdAt)}
        </span>
      </div>
      {editing ? (
        <>
          <label htmlFor={`draft-${approval.id}`} className="visually-hidden">
            {t('draft.editLabel')}
          </label>
          <textarea
            id={`draft-${approval.id}`}
            rows={4}
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        </>
      ) : (
        <p className="draft__text">{approval.draftText}</p>
      )}
      {approval.citations.length > 0 && (
        <p className="muted small">
          {t('draft.sources', { titles: approval.citations.map((c) => c.title).join(' · ') })}
        </p>
      )}
      <div className="draft__actions">
        {editing ? (
          <>
            <button
              type="button"
              className="button button--primary"
              disabled={decide.isPending || !text.trim()}
              onClick={() => decide.mutate({ action: 'edit', text })}
            >
              {t('draft.sendEdited')}
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
              {t('draft.approve')}
            </button>
            <button
              type="button"
              className="button"
              disabled={decide.isPending}
              onClick={() => setEditing(true)}
            >
              {t('draft.edit')}
            </button>
            <button
              type="button"
              className="button button--ghost"
              disabled={decide.isPending}
              onClick={() => decide.mutate({ action: 'reject' })}
            >
              {t('draft.reject')}
            </button>
          </>
        )}
      </div>
    </div>
  )
}
