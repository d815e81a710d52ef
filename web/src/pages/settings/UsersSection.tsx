import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Badge } from '../../components/Badge'
import { DataState } from '../../components/DataState'
import { ConfirmDialog } from '../../components/Modal'
import { useToast } from '../../components/Toast'
import { ApiError, api, type Page } from '../../lib/api'
import { formatDate, formatRelative } from '../../lib/format'
import { useSession } from '../../lib/session'
import { SettingsCard, issueFor } from './shared'
import { USER_ROLES, type User } from './types'

/** People who sign in to the console: list, invite with a first password, deactivate. Admins only. */
export function UsersSection() {
  const { t } = useTranslation('settings')
  const session = useSession()
  const toast = useToast()
  const queryClient = useQueryClient()
  const [leaving, setLeaving] = useState<User | null>(null)
  const query = useQuery({ queryKey: ['users'], queryFn: () => api.get<Page<User>>('/users') })
  const deactivate = useMutation({
    mutationFn: (user: User) => api.post<User>(`/users/${user.id}/deactivate`),
    onSuccess: async (user) => {
      setLeaving(null)
      toast.success(t('users.deactivated', { email: user.email }))
      await queryClient.invalidateQueries({ queryKey: ['users'] })
    },
    onError: (error) => {
      setLeaving(null)
      toast.error(error)
    },
  })
  return (
    <>
      <SettingsCard title={t('users.title')} note={t('users.note')}>
        <DataState query={query} label={t('users.title')} isEmpty={(data) => data.items.length === 0}>
          {(data) => (
            <div className="settings__scroll">
              <table className="table">
                <caption className="visually-hidden">{t('users.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('users.person')}</th>
                    <th scope="col">{t('users.role')}</th>
                    <th scope="col">{t('users.lastLogin')}</th>
                    <th scope="col">{t('users.created')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('actionsColumn')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((user) => (
                    <tr key={user.id}>
                      <td>
                        <div>{user.name ?? user.email}</div>
                        <div className="muted small">{user.email}</div>
                      </td>
                      <td>
                        <Badge tone={user.role === 'admin' ? 'warning' : 'neutral'}>
                          {t(`common:roles.${user.role}`)}
                        </Badge>{' '}
                        {!user.active && <Badge tone="danger">{t('users.inactive')}</Badge>}
                      </td>
                      <td>{user.lastLoginAt ? formatRelative(user.lastLoginAt) : '—'}</td>
                      <td>{formatDate(user.createdAt, 'date')}</td>
                      <td>
                        {user.active && user.id !== session.user?.id && (
                          <button
                            type="button"
                            className="button button--small button--danger"
                            aria-label={t('users.deactivateLabel', { email: user.email })}
                            onClick={() => setLeaving(user)}
                          >
                            {t('users.deactivate')}
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
      <NewUser />
      <ConfirmDialog
        open={leaving !== null}
        title={t('users.deactivateTitle')}
        message={leaving && <p>{t('users.deactivateText', { email: leaving.email })}</p>}
        confirmLabel={t('users.deactivate')}
        danger
        busy={deactivate.isPending}
        onConfirm={() => leaving && deactivate.mutate(leaving)}
        onCancel={() => setLeaving(null)}
      />
    </>
  )
}

function NewUser() {
  const { t } = useTranslation('settings')
  const toast = useToast()
  const queryClient = useQueryClient()
  const id = useId()
  const blank = { email: '', name: '', role: 'agent' as (typeof USER_ROLES)[number], password: '' }
  const [draft, setDraft] = useState(blank)
  const create = useMutation({
    mutationFn: () =>
      api.post<User>('/users', {
        email: draft.email.trim(),
        name: draft.name.trim() || null,
        role: draft.role,
        password: draft.password,
      }),
    onSuccess: async (user) => {
      setDraft(blank)
      toast.success(t('users.added', { email: user.email }))
      await queryClient.invalidateQueries({ queryKey: ['users'] })
    },
  })
  const issues = create.error instanceof ApiError ? create.error.issues : []
  const submit = (event: FormEvent) => {
    event.preventDefault()
    create.mutate()
  }
  const input = (field: 'email' | 'name' | 'password', type: string, autoComplete: string) => {
    const problem = issueFor(issues, field)
    return (
      <div className="form-field">
        <label htmlFor={`${id}-${field}`}>{t(`users.${field}`)}</label>
        <input
          id={`${id}-${field}`}
          type={type}
          autoComplete={autoComplete}
          required={field !== 'name'}
          minLength={field === 'password' ? 10 : undefined}
          value={draft[field]}
          aria-invalid={problem ? true : undefined}
          onChange={(event) => setDraft({ ...draft, [field]: event.target.value })}
        />
        {field === 'password' && <span className="muted small">{t('users.passwordHint')}</span>}
        {problem && <span className="form-error">{problem}</span>}
      </div>
    )
  }
  return (
    <form onSubmit={submit} noValidate>
      <SettingsCard title={t('users.new')}>
        <div className="form-fields">
          {input('email', 'email', 'off')}
          {input('name', 'text', 'off')}
          <div className="form-field">
            <label htmlFor={`${id}-role`}>{t('users.role')}</label>
            <select
              id={`${id}-role`}
              value={draft.role}
              onChange={(event) =>
                setDraft({ ...draft, role: event.target.value as (typeof USER_ROLES)[number] })
              }
            >
              {USER_ROLES.map((role) => (
                <option key={role} value={role}>
                  {t(`common:roles.${role}`)}
                </option>
              ))}
            </select>
          </div>
          {input('password', 'password', 'new-password')}
        </div>
        {create.error && issues.length === 0 && (
          <p className="form-error" role="alert">
            {create.error.message}
          </p>
        )}
        <div className="form-buttons">
          <button type="submit" className="button button--primary" disabled={create.isPending}>
            {t('users.create')}
          </button>
        </div>
      </SettingsCard>
    </form>
  )
}
