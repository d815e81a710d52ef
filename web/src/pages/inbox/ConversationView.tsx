import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams, useSearchParams } from 'react-router-dom'
import { Badge } from '../../components/Badge'
import { DataState } from '../../components/DataState'
import { Icon } from '../../components/Icon'
import { useToast } from '../../components/Toast'
import { api, type Page } from '../../lib/api'
import { formatDate } from '../../lib/format'
import { useSession } from '../../lib/session'
import { Composer } from './Composer'
import { DecisionPanel } from './DecisionPanel'
import { DraftCard } from './DraftCard'
import { MessageItem } from './MessageItem'
import { SidePanel } from './SidePanel'
import { threadKeys } from './keys'
import {
  PRIORITIES,
  type Approval,
  type Assignee,
  type Conversation,
  type ConversationDecision,
  type Correction,
  type Message,
} from './types'

/** One conversation: header with its actions, the thread with perceptions, drafts, the composer. */
export function ConversationView() {
  const { id = '' } = useParams()
  const { t } = useTranslation('inbox')
  const session = useSession()
  const conversation = useQuery({
    queryKey: ['conversation', id],
    queryFn: () => api.get<Conversation>(`/conversations/${id}`),
  })
  return (
    <DataState query={conversation} label={t('conversation')}>
      {(data) => <ConversationDetail key={data.id} conversation={data} canAct={session.can('agent')} />}
    </DataState>
  )
}

function ConversationDetail({ conversation, canAct }: { conversation: Conversation; canAct: boolean }) {
  const { t } = useTranslation('inbox')
  const toast = useToast()
  const session = useSession()
  const queryClient = useQueryClient()
  const [params] = useSearchParams()
  const id = conversation.id
  const [explained, setExplained] = useState<string | null>(null)

  const messages = useQuery({
    queryKey: threadKeys.messages(id),
    queryFn: () => api.get<Page<Message>>(`/conversations/${id}/messages`, { limit: 200 }),
    refetchInterval: 30_000,
  })
  const decisions = useQuery({
    queryKey: threadKeys.decisions(id),
    queryFn: () =>
      api.get<{ items: ConversationDecision[]; corrections: Correction[] }>(`/conversations/${id}/decisions`),
  })
  const approvals = useQuery({
    queryKey: threadKeys.approvals(id),
    queryFn: () =>
      api.get<Page<Approval>>('/approvals', { conversationId: id, status: 'pending', limit: 20 }),
    enabled: canAct,
    refetchInterval: 30_000,
  })
  const customer = useQuery({
    queryKey: ['customer', conversation.customerId],
    queryFn: () =>
      api.get<{ id: string; name: string | null; email: string | null }>(
        `/customers/${conversation.customerId}`,
      ),
  })
  const assignees = useQuery({
    queryKey: ['assignees'],
    queryFn: () => api.get<Page<Assignee>>('/inbox/assignees'),
    enabled: canAct,
    staleTime: 5 * 60_000,
  })

  const byMessage = useMemo(() => {
    const map = new Map<string, ConversationDecision>()
    for (const decision of decisions.data?.items ?? [])
      if (decision.messageId) map.set(decision.messageId, decision)
    return map
  }, [decisions.data])
  const correctionsBy = useMemo(() => {
    const map = new Map<string, Correction[]>()
    for (const correction of decisions.data?.corrections ?? []) {
      map.set(correction.messageId, [...(map.get(correction.messageId) ?? []), correction])
    }
    return map
  }, [decisions.data])

  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: ['conversation', id] }),
      queryClient.invalidateQueries({ queryKey: ['messages', id] }),
      queryClient.invalidateQueries({ queryKey: ['conversations'] }),
      queryClient.invalidateQueries({ queryKey: ['approvals'] }),
    ])
  }
  const act = useMutation({
    mutationFn: async (action: { kind: string; run: () => Promise<unknown>; done: string }) => {
      await action.run()
      return action
    },
    onSuccess: async (action) => {
      toast.success(action.done)
      await refresh()
    },
    onError: (error) => toast.error(error),
  })
  const patch = (body: Record<string, unknown>, done: string) =>
    act.mutate({ kind: 'patch', run: () => api.patch(`/conversations/${id}`, body), done })

  const explainedDecision = explained ? byMessage.get(explained) : undefined
  const back = params.toString()
  const resolved = conversation.status === 'resolved' || conversation.status === 'closed'
  const name = customer.data?.name ?? t('unknownCustomer')

  return (
    <article className="conversation" aria-labelledby="conversation-title">
      <header className="conversation__header">
        <Link
          className="conversation__back icon-button"
          to={{ pathname: '/inbox', search: back ? `?${back}` : '' }}
          aria-label={t('backToList')}
        >
          <Icon name="back" />
        </Link>
        <div className="conversation__title">
          <h2 id="conversation-title">
            <Link to={`/customers/${conversation.customerId}`}>{name}</Link>
          </h2>
          <p className="muted small">
            {conversation.subject ? `${conversation.subject} · ` : ''}
            {t(`channel.${conversation.channel}`)} ·{' '}
            {t('started', { date: formatDate(conversation.createdAt) })}
          </p>
          <div className="conversation__badges" data-testid="conversation-state">
            <Badge tone={conversation.handler === 'ai' ? 'ai' : 'human'}>
              {t(`handler.${conversation.handler}`)}
            </Badge>
            <Badge tone={conversation.status === 'open' ? 'info' : resolved ? 'success' : 'warning'}>
              {t(`status.${conversation.status}`)}
            </Badge>
          </div>
        </div>
        {canAct && (
          <div className="conversation__actions">
            {conversation.handler === 'ai' ? (
              <button
                type="button"
                className="button button--primary"
                disabled={act.isPending}
                onClick={() =>
                  act.mutate({
                    kind: 'takeover',
                    run: () => api.post(`/conversations/${id}/takeover`, {}),
                    done: t('tookOver'),
                  })
                }
              >
                {t('takeOver')}
              </button>
            ) : (
              <button
                type="button"
                className="button"
                disabled={act.isPending}
                onClick={() =>
                  act.mutate({
                    kind: 'giveBack',
                    run: () => api.post(`/conversations/${id}/give-back`, {}),
                    done: t('gaveBack'),
                  })
                }
              >
                {t('giveBack')}
              </button>
            )}
            {resolved ? (
              <button
                type="button"
                className="button"
                disabled={act.isPending}
                onClick={() => patch({ status: 'open' }, t('reopened'))}
              >
                {t('reopen')}
              </button>
            ) : (
              <button
                type="button"
                className="button"
                disabled={act.isPending}
                onClick={() => patch({ status: 'resolved' }, t('resolvedDone'))}
              >
                {t('resolve')}
              </button>
            )}
            <label className="inline-field">
              <span>{t('assignee')}</span>
              <select
                value={conversation.assigneeId ?? ''}
                disabled={act.isPending}
                onChange={(event) => patch({ assigneeId: event.target.value || null }, t('assigned'))}
              >
                <option value="">{t('nobody')}</option>
                {(assignees.data?.items ?? []).map((person) => (
                  <option key={person.id} value={person.id}>
                    {person.id === session.user?.id
                      ? t('me', { name: person.name ?? person.email })
                      : (person.name ?? person.email)}
                  </option>
                ))}
              </select>
            </label>
            <label className="inline-field">
              <span>{t('filter.priority')}</span>
              <select
                value={conversation.priority}
                disabled={act.isPending}
                onChange={(event) => patch({ priority: event.target.value }, t('priorityChanged'))}
              >
                {PRIORITIES.map((priority) => (
                  <option key={priority} value={priority}>
                    {t(`priority.${priority}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
        )}
      </header>

      <div className="conversation__body">
        <div className="conversation__main">
          <DataState
            query={messages}
            label={t('messages')}
            isEmpty={(page) => page.items.length === 0}
            empty={t('noMessages')}
          >
            {(page) => (
              <ol className="thread" aria-label={t('thread')} data-testid="thread">
                {page.items.map((message) => (
                  <MessageItem
                    key={message.id}
                    message={message}
                    decision={byMessage.get(message.id)}
                    corrections={correctionsBy.get(message.id) ?? []}
                    canAct={canAct}
                    explained={explained === message.id}
                    onExplain={() => setExplained(explained === message.id ? null : message.id)}
                  />
                ))}
              </ol>
            )}
          </DataState>
          {canAct && (approvals.data?.items.length ?? 0) > 0 && (
            <section className="drafts" aria-label={t('drafts')}>
              <h3>{t('drafts')}</h3>
              {approvals.data!.items.map((approval) => (
                <DraftCard key={approval.id} approval={approval} onDone={refresh} />
              ))}
            </section>
          )}
          {canAct && <Composer conversation={conversation} onSent={refresh} />}
        </div>
        <div className="conversation__side">
          {explainedDecision && (
            <DecisionPanel decision={explainedDecision} onClose={() => setExplained(null)} />
          )}
          <SidePanel conversation={conversation} />
        </div>
      </div>
    </article>
  )
}
