import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Badge } from '../../components/Badge'
import { useToast } from '../../components/Toast'
import { ApiError, api } from '../../lib/api'
import { formatDate } from '../../lib/format'
import { useSession } from '../../lib/session'
import { STAGES, TIERS, type Customer } from './types'

const TEXT_FIELDS = ['name', 'email', 'phone', 'locale', 'acquisitionSource'] as const
type Draft = Record<(typeof TEXT_FIELDS)[number] | 'tier' | 'lifecycleStage' | 'tags', string>

function draftOf(customer: Customer): Draft {
  return {
    name: customer.name ?? '',
    email: customer.email ?? '',
    phone: customer.phone ?? '',
    locale: customer.locale,
    acquisitionSource: customer.acquisitionSource ?? '',
    tier: customer.tier,
    lifecycleStage: customer.lifecycleStage,
    tags: customer.tags.join(', '),
  }
}

/** The changed fields only, with empty text as null (merge semantics: null clears). */
function patchOf(customer: Customer, draft: Draft): Record<string, unknown> {
  const before = draftOf(customer)
  const patch: Record<string, unknown> = {}
  for (const field of Object.keys(draft) as (keyof Draft)[]) {
    if (draft[field] === before[field]) continue
    if (field === 'tags') {
      patch.tags = draft.tags
        .split(/[,，]/)
        .map((tag) => tag.trim())
        .filter(Boolean)
    } else if (field === 'tier' || field === 'lifecycleStage' || field === 'locale') {
      patch[field] = draft[field]
    } else {
      patch[field] = draft[field].trim() === '' ? null : draft[field].trim()
    }
  }
  return patch
}

/** The profile: read, or edited in place by agents (PATCH with the changed fields; errors per field). */
export function ProfileCard({ customer }: { customer: Customer }) {
  const { t } = useTranslation('customers')
  const session = useSession()
  const toast = useToast()
  const queryClient = useQueryClient()
  const formId = useId()
  const [draft, setDraft] = useState<Draft | null>(null)
  const save = useMutation({
    mutationFn: (patch: Record<string, unknown>) => api.patch<Customer>(`/customers/${customer.id}`, patch),
    onSuccess: async () => {
      setDraft(null)
      toast.success(t('profile.saved'))
      await queryClient.invalidateQueries({ queryKey: ['customer', customer.id] })
      await queryClient.invalidateQueries({ queryKey: ['customers'] })
    },
  })
  const issues = save.error instanceof ApiError ? save.error.issues : []
  const issueFor = (field: string) =>
    issues.find((issue) => issue.path === field || issue.path.endsWith(`.${field}`))?.message
  const editable = session.can('agent') && customer.erasedAt === null && customer.mergedIntoId === null

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!draft) return
    const patch = patchOf(customer, draft)
    if (Object.keys(patch).length === 0) {
      setDraft(null)
      return
    }
    save.mutate(patch)
  }

  if (!draft) {
    return (
      <section className="card c360__card" aria-labelledby={`${formId}-title`}>
        <header className="c360__card-header">
          <h2 id={`${formId}-title`}>{t('profile.title')}</h2>
          {editable && (
            <button
              type="button"
              className="button button--small"
              onClick={() => setDraft(draftOf(customer))}
            >
              {t('common:actions.edit')}
            </button>
          )}
        </header>
        <dl className="c360__facts">
          {TEXT_FIELDS.map((field) => (
            <div key={field}>
              <dt>{t(`fields.${field}`)}</dt>
              <dd>{customer[field] || '—'}</dd>
            </div>
          ))}
          <div>
            <dt>{t('fields.tier')}</dt>
            <dd>{t(`tier.${customer.tier}`)}</dd>
          </div>
          <div>
            <dt>{t('fields.lifecycleStage')}</dt>
            <dd>{t(`stage.${customer.lifecycleStage}`)}</dd>
          </div>
          <div>
            <dt>{t('fields.firstSeenAt')}</dt>
            <dd>{formatDate(customer.firstSeenAt, 'date')}</dd>
          </div>
          <div>
            <dt>{t('fields.tags')}</dt>
            <dd className="c360__tags">
              {customer.tags.length === 0
                ? '—'
                : customer.tags.map((tag) => (
                    <Badge key={tag} tone="info">
                      {tag}
                    </Badge>
                  ))}
            </dd>
          </div>
        </dl>
      </section>
    )
  }

  const input = (field: (typeof TEXT_FIELDS)[number] | 'tags', type = 'text') => {
    const id = `${formId}-${field}`
    const problem = issueFor(field)
    return (
      <div className="form-field" key={field}>
        <label htmlFor={id}>{t(`fields.${field}`)}</label>
        <input
          id={id}
          type={type}
          value={draft[field]}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-error` : undefined}
          onChange={(event) => setDraft({ ...draft, [field]: event.target.value })}
        />
        {field === 'tags' && <span className="muted small">{t('profile.tagsHint')}</span>}
        {problem && (
          <span id={`${id}-error`} className="form-error">
            {problem}
          </span>
        )}
      </div>
    )
  }

  return (
    <section className="card c360__card" aria-labelledby={`${formId}-title`}>
      <form onSubmit={submit} noValidate>
        <header className="c360__card-header">
          <h2 id={`${formId}-title`}>{t('profile.editTitle')}</h2>
        </header>
        <div className="form-fields">
          {input('name')}
          {input('email', 'email')}
          {input('phone', 'tel')}
          {input('locale')}
          {input('acquisitionSource')}
          <div className="form-field">
            <label htmlFor={`${formId}-tier`}>{t('fields.tier')}</label>
            <select
              id={`${formId}-tier`}
              value={draft.tier}
              onChange={(event) => setDraft({ ...draft, tier: event.target.value })}
            >
              {TIERS.map((tier) => (
                <option key={tier} value={tier}>
                  {t(`tier.${tier}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="form-field">
            <label htmlFor={`${formId}-stage`}>{t('fields.lifecycleStage')}</label>
            <select
              id={`${formId}-stage`}
              value={draft.lifecycleStage}
              onChange={(event) => setDraft({ ...draft, lifecycleStage: event.target.value })}
            >
              {STAGES.map((stage) => (
                <option key={stage} value={stage}>
                  {t(`stage.${stage}`)}
                </option>
              ))}
            </select>
          </div>
          {input('tags')}
        </div>
        {save.error && issues.length === 0 && (
          <p className="form-error" role="alert">
            {save.error.message}
          </p>
        )}
        <div className="form-buttons">
          <button
            type="button"
            className="button"
            onClick={() => {
              setDraft(null)
              save.reset()
            }}
          >
            {t('common:actions.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            {save.isPending ? t('common:state.loading') : t('common:actions.save')}
          </button>
        </div>
      </form>
    </section>
  )
}
