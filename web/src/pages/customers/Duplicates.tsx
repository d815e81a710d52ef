import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router-dom'
import { DataState } from '../../components/DataState'
import { ConfirmDialog } from '../../components/Modal'
import { useToast } from '../../components/Toast'
import { api, type Page } from '../../lib/api'
import { formatDate } from '../../lib/format'
import { useSession } from '../../lib/session'
import { Section } from './Sections'
import type { DuplicateSuggestion } from './types'

/**
 * Duplicate suggestions (an identity this customer used belongs to another customer) and the merge: the
 * other customer is merged INTO the one on screen, after a confirmation, and becomes a tombstone.
 */
export function Duplicates({ customerId, customerName }: { customerId: string; customerName: string }) {
  const { t } = useTranslation('customers')
  const session = useSession()
  const toast = useToast()
  const queryClient = useQueryClient()
  const [candidate, setCandidate] = useState<DuplicateSuggestion | null>(null)
  const query = useQuery({
    queryKey: ['customer', customerId, 'duplicates'],
    queryFn: () => api.get<Page<DuplicateSuggestion>>(`/customers/${customerId}/duplicates`),
  })
  const merge = useMutation({
    mutationFn: (loserId: string) => api.post(`/customers/${customerId}/merge`, { loserId }),
    onSuccess: async () => {
      setCandidate(null)
      toast.success(t('duplicates.merged'))
      await queryClient.invalidateQueries({ queryKey: ['customer', customerId] })
      await queryClient.invalidateQueries({ queryKey: ['customers'] })
    },
    onError: (error) => {
      setCandidate(null)
      toast.error(error)
    },
  })
  const nameOf = (other: DuplicateSuggestion['other']) => other.name ?? other.email ?? other.phone ?? other.id

  return (
    <Section title={t('duplicates.title')} className="c360__duplicates">
      <DataState
        query={query}
        label={t('duplicates.title')}
        isEmpty={(data) => data.items.length === 0}
        empty={<p className="muted small">{t('duplicates.empty')}</p>}
      >
        {(data) => (
          <ul className="c360__list" data-testid="duplicates">
            {data.items.map((suggestion) => (
              <li key={suggestion.other.id} className="c360__duplicate">
                <div>
                  <Link to={`/customers/${suggestion.other.id}`}>{nameOf(suggestion.other)}</Link>
                  <div className="muted small">
                    {t('duplicates.reason', {
                      kind: t(`channel.${suggestion.kind ?? 'email'}`, { defaultValue: suggestion.kind }),
                    })}{' '}
                    · {formatDate(suggestion.suggestedAt)}
                  </div>
                  <div className="muted small">
                    {[suggestion.other.email, suggestion.other.phone].filter(Boolean).join(' · ')}
                  </div>
                </div>
                {session.can('agent') && (
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => setCandidate(suggestion)}
                    aria-label={t('duplicates.mergeLabel', { name: nameOf(suggestion.other) })}
                  >
                    {t('duplicates.merge')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </DataState>
      <ConfirmDialog
        open={candidate !== null}
        title={t('duplicates.confirmTitle')}
        message={
          candidate && (
            <p>{t('duplicates.confirmText', { other: nameOf(candidate.other), name: customerName })}</p>
          )
        }
        confirmLabel={t('duplicates.confirm')}
        danger
        busy={merge.isPending}
        onConfirm={() => candidate && merge.mutate(candidate.other.id)}
        onCancel={() => setCandidate(null)}
      />
    </Section>
  )
}
