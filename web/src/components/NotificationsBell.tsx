import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router-dom'
import { api, type Page } from '../lib/api'
import { formatRelative } from '../lib/format'
import { useSession } from '../lib/session'
import { Icon } from './Icon'

export interface Notification {
  readonly id: string
  readonly kind: string
  readonly conversationId: string | null
  readonly userId: string | null
  readonly payload: Record<string, unknown>
  readonly readAt: string | null
  readonly createdAt: string
}

export const NOTIFICATIONS_KEY = ['notifications', 'unread'] as const

/** The bell: unread notifications (hand-offs, assignments, drafts to review); a click opens the conversation. */
export function NotificationsBell() {
  const { t } = useTranslation()
  const session = useSession()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const [open, setOpen] = useState(false)
  const panel = useRef<HTMLDivElement>(null)
  const enabled = session.can('agent')
  const query = useQuery({
    queryKey: NOTIFICATIONS_KEY,
    queryFn: () => api.get<Page<Notification>>('/notifications', { unread: 'true', limit: 20 }),
    enabled,
    refetchInterval: 60_000,
  })
  const read = useMutation({
    mutationFn: (id: string) => api.post(`/notifications/${id}/read`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['notifications'] }),
  })
  useEffect(() => {
    if (!open) return
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (
        event instanceof KeyboardEvent
          ? event.key === 'Escape'
          : !panel.current?.contains(event.target as Node)
      )
        setOpen(false)
    }
    document.addEventListener('mousedown', close)
    document.addEventListener('keydown', close)
    return () => {
      document.removeEventListener('mousedown', close)
      document.removeEventListener('keydown', close)
    }
  }, [open])
  if (!enabled) return null
  const items = query.data?.items ?? []
  const count = items.length
  return (
    <div className="bell" ref={panel}>
      <button
        type="button"
        className="icon-button bell__button"
        aria-expanded={open}
        aria-haspopup="true"
        aria-label={t('notifications.button', { count })}
        onClick={() => setOpen((value) => !value)}
      >
        <Icon name="bell" />
        {count > 0 && (
          <span className="bell__count" aria-hidden="true">
            {count >= 20 ? '20+' : count}
          </span>
        )}
      </button>
      {open && (
        <div className="bell__panel" role="region" aria-label={t('notifications.title')}>
          <h2 className="bell__title">{t('notifications.title')}</h2>
          {query.error ? (
            <p className="form-error">{(query.error as Error).message}</p>
          ) : count === 0 ? (
            <p className="muted">{t('notifications.empty')}</p>
          ) : (
            <ul className="bell__list">
              {items.map((item) => (
                <li key={item.id}>
                  <button
                    type="button"
                    className="bell__item"
                    onClick={() => {
                      read.mutate(item.id)
                      setOpen(false)
                      if (item.conversationId) navigate(`/inbox/${item.conversationId}`)
                    }}
                  >
                    <span className="bell__kind">
                      {t(`notifications.kind.${item.kind}`, { defaultValue: item.kind })}
                    </span>
                    {typeof item.payload.reason === 'string' && (
                      <span className="bell__text">{item.payload.reason}</span>
                    )}
                    {typeof item.payload.message === 'string' && (
                      <span className="bell__text">{item.payload.message}</span>
                    )}
                    <time className="muted small" dateTime={item.createdAt}>
                      {formatRelative(item.createdAt)}
                    </time>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  )
}
