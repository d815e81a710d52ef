import { useMutation } from '@tanstack/react-query'
import { useRef, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { useToast } from '../../components/Toast'
import { api } from '../../lib/api'
import type { Conversation } from './types'

type Mode = 'reply' | 'note' | 'task'

/** Reply to the customer as a person, or add an internal note or a task to the conversation. */
export function Composer({
  conversation,
  onSent,
}: {
  conversation: Conversation
  onSent: () => Promise<void>
}) {
  const { t } = useTranslation('inbox')
  const toast = useToast()
  const [mode, setMode] = useState<Mode>('reply')
  const [text, setText] = useState('')
  const [due, setDue] = useState('')
  // one key per composed text: a retried send after a network error does not send twice
  const key = useRef(crypto.randomUUID())
  const send = useMutation({
    mutationFn: async () => {
      const body = text.trim()
      if (mode === 'reply') {
        await api.post(
          `/conversations/${conversation.id}/reply`,
          { text: body },
          { headers: { 'idempotency-key': key.current } },
        )
      } else if (mode === 'note') {
        await api.post('/notes', {
          conversationId: conversation.id,
          customerId: conversation.customerId,
          body,
        })
      } else {
        await api.post('/tasks', {
          title: body,
          conversationId: conversation.id,
          customerId: conversation.customerId,
          ...(due ? { dueAt: new Date(due).toISOString() } : {}),
        })
      }
    },
    onSuccess: async () => {
      toast.success(t(`composer.done.${mode}`))
      setText('')
      setDue('')
      key.current = crypto.randomUUID()
      await onSent()
    },
    onError: (error) => toast.error(error),
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (text.trim()) send.mutate()
  }
  return (
    <form className="composer card" onSubmit={submit} aria-label={t('composer.label')}>
      <div className="composer__modes" role="tablist" aria-label={t('composer.label')}>
        {(['reply', 'note', 'task'] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={mode === name}
            className={`queue ${mode === name ? 'is-active' : ''}`}
            onClick={() => setMode(name)}
          >
            {t(`composer.mode.${name}`)}
          </button>
        ))}
      </div>
      <label htmlFor="composer-text" className="visually-hidden">
        {t(`composer.placeholder.${mode}`)}
      </label>
      {mode === 'task' ? (
        <div className="composer__task">
          <input
            id="composer-text"
            value={text}
            onChange={(event) => setText(event.target.value)}
            placeholder={t('composer.placeholder.task')}
          />
          <label className="inline-field">
            <span>{t('composer.due')}</span>
            <input type="datetime-local" value={due} onChange={(event) => setDue(event.target.value)} />
          </label>
        </div>
      ) : (
        <textarea
          id="composer-text"
          rows={3}
          value={text}
          onChange={(event) => setText(event.target.value)}
          placeholder={t(`composer.placeholder.${mode}`)}
          className={mode === 'note' ? 'composer__note' : undefined}
        />
      )}
      <div className="composer__footer">
        {mode === 'reply' && conversation.handler === 'ai' && (
          <span className="muted small">{t('composer.takesOver')}</span>
        )}
        <button type="submit" className="button button--primary" disabled={send.isPending || !text.trim()}>
          {t(`composer.submit.${mode}`)}
        </button>
      </div>
    </form>
  )
}
