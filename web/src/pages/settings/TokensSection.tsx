import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Badge } from '../../components/Badge'
import { DataState } from '../../components/DataState'
import { ConfirmDialog, Modal } from '../../components/Modal'
import { useToast } from '../../components/Toast'
import { ApiError, api, type Page } from '../../lib/api'
import { formatDate, formatRelative } from '../../lib/format'
import { SettingsCard, issueFor } from './shared'
import { TOKEN_ROLES, type ApiToken } from './types'

/** API tokens: list (never their secret), create (the secret is shown once), revoke. Admins only. */
export function TokensSection() {
  const { t } = useTranslation('settings')
  const toast = useToast()
  const queryClient = useQueryClient()
  const [revoking, setRevoking] = useState<ApiToken | null>(null)
  const query = useQuery({ queryKey: ['tokens'], queryFn: () => api.get<Page<ApiToken>>('/tokens') })
  const revoke = useMutation({
    mutationFn: (token: ApiToken) => api.del(`/tokens/${token.id}`),
    onSuccess: async () => {
      setRevoking(null)
      toast.success(t('tokens.revoked'))
      await queryClient.invalidateQueries({ queryKey: ['tokens'] })
    },
    onError: (error) => {
      setRevoking(null)
      toast.error(error)
    },
  })
  const label = (token: ApiToken) => token.name ?? `${token.prefix}…`
  return (
    <>
      <NewToken />
      <SettingsCard title={t('tokens.title')} note={t('tokens.note')}>
        <DataState
          query={query}
          label={t('tokens.title')}
          isEmpty={(data) => data.items.length === 0}
          empty={t('tokens.empty')}
        >
          {(data) => (
            <div className="settings__scroll">
              <table className="table" data-testid="tokens">
                <caption className="visually-hidden">{t('tokens.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('tokens.name')}</th>
                    <th scope="col">{t('tokens.role')}</th>
                    <th scope="col">{t('tokens.created')}</th>
                    <th scope="col">{t('tokens.lastUsed')}</th>
                    <th scope="col">{t('tokens.expires')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('actionsColumn')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((token) => (
                    <tr key={token.id}>
                      <td>
                        <div>{token.name ?? '—'}</div>
                        <div className="muted small settings__mono">{token.prefix}…</div>
                      </td>
                      <td>{t(`common:roles.${token.role}`)}</td>
                      <td>{formatDate(token.createdAt)}</td>
                      <td>{token.lastUsedAt ? formatRelative(token.lastUsedAt) : t('tokens.never')}</td>
                      <td>{token.expiresAt ? formatDate(token.expiresAt, 'date') : t('tokens.noExpiry')}</td>
                      <td>
                        {token.revokedAt ? (
                          <Badge tone="danger">{t('tokens.revokedBadge')}</Badge>
                        ) : (
                          <button
                            type="button"
                            className="button button--small button--danger"
                            aria-label={t('tokens.revokeLabel', { name: label(token) })}
                            onClick={() => setRevoking(token)}
                          >
                            {t('tokens.revoke')}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </DataState>
      </SettingsCard>
      <ConfirmDialog
        open={revoking !== null}
        title={t('tokens.revokeTitle')}
        message={revoking && <p>{t('tokens.revokeText', { name: label(revoking) })}</p>}
        confirmLabel={t('tokens.revoke')}
        danger
        busy={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        onCancel={() => setRevoking(null)}
      />
    </>
  )
}

function NewToken() {
  const { t } = useTranslation('settings')
  const queryClient = useQueryClient()
  const id = useId()
  const [draft, setDraft] = useState({
    name: '',
    role: 'integration' as (typeof TOKEN_ROLES)[number],
    expires: '',
  })
  const [secret, setSecret] = useState<string | null>(null)
  const [copied, setCopied] = useState(false)
  const create = useMutation({
    mutationFn: () =>
      api.post<{ token: string; id: string; role: string }>('/tokens', {
        name: draft.name.trim() || null,
        role: draft.role,
        ...(draft.expires.trim() ? { expires: draft.expires.trim() } : {}),
      }),
    onSuccess: async (answer) => {
      setSecret(answer.token)
      setCopied(false)
      setDraft({ name: '', role: 'integration', expires: '' })
      await queryClient.invalidateQueries({ queryKey: ['tokens'] })
    },
  })
  const issues = create.error instanceof ApiError ? create.error.issues : []
  const submit = (event: FormEvent) => {
    event.preventDefault()
    create.mutate()
  }
  const copy = async () => {
    if (!secret) return
    try {
      await navigator.clipboard.writeText(secret)
      setCopied(true)
    } catch {
      setCopied(false)
    }
  }
  return (
    <>
      <form onSubmit={submit} noValidate>
        <SettingsCard title={t('tokens.new')}>
          <div className="form-fields">
            <div className="form-field">
              <label htmlFor={`${id}-name`}>{t('tokens.name')}</label>
              <input
                id={`${id}-name`}
                value={draft.name}
                onChange={(event) => setDraft({ ...draft, name: event.target.value })}
              />
            </div>
            <div className="form-field">
              <label htmlFor={`${id}-role`}>{t('tokens.role')}</label>
              <select
                id={`${id}-role`}
                value={draft.role}
                onChange={(event) =>
                  setDraft({ ...draft, role: event.target.value as (typeof TOKEN_ROLES)[number] })
                }
              >
                {TOKEN_ROLES.map((role) => (
                  <option key={role} value={role}>
                    {t(`common:roles.${role}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="form-field">
              <label htmlFor={`${id}-expires`}>{t('tokens.expiresIn')}</label>
              <input
                id={`${id}-expires`}
                value={draft.expires}
                placeholder="90d"
                aria-describedby={`${id}-expires-hint`}
                onChange={(event) => setDraft({ ...draft, expires: event.target.value })}
              />
              <span id={`${id}-expires-hint`} className="muted small">
                {t('tokens.expiresHint')}
              </span>
              {issueFor(issues, 'expires') && (
                <span className="form-error">{issueFor(issues, 'expires')}</span>
              )}
            </div>
          </div>
          {create.error && (
            <p className="form-error" role="alert">
              {create.error.message}
            </p>
          )}
          <div className="form-buttons">
            <button type="submit" className="button button--primary" disabled={create.isPending}>
              {t('tokens.create')}
            </button>
          </div>
        </SettingsCard>
      </form>
      <Modal
        open={secret !== null}
        title={t('tokens.secretTitle')}
        onClose={() => setSecret(null)}
        footer={
          <>
            <button type="button" className="button" onClick={() => void copy()}>
              {copied ? t('tokens.copied') : t('tokens.copy')}
            </button>
            <button type="button" className="button button--primary" onClick={() => setSecret(null)}>
              {t('tokens.done')}
            </button>
          </>
        }
      >
        <p>{t('tokens.secretText')}</p>
        <label htmlFor={`${id}-secret`} className="visually-hidden">
          {t('tokens.secretLabel')}
        </label>
        <input
          id={`${id}-secret`}
          className="settings__secret"
          data-testid="token-secret"
          readOnly
          value={secret ?? ''}
          onFocus={(event) => event.target.select()}
        />
      </Modal>
    </>
  )
}
