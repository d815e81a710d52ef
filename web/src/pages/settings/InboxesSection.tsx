import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Badge } from '../../components/Badge'
import { DataState } from '../../components/DataState'
import { JsonEditor, parseJson } from '../../components/JsonEditor'
import { Modal } from '../../components/Modal'
import { useToast } from '../../components/Toast'
import { ApiError, api, type Page } from '../../lib/api'
import { useSession } from '../../lib/session'
import { SettingsCard, issueFor } from './shared'
import { CHANNELS, type Inbox } from './types'

const SIGNED = new Set(['sms', 'phone', 'email'])
/** Setting names that look like credentials are masked in the list (secrets belong in the environment). */
const SECRET_NAME = /secret|password|token|key/i

function settingsSummary(settings: Record<string, unknown>): string {
  return Object.entries(settings)
    .map(([name, value]) =>
      SECRET_NAME.test(name) && !name.endsWith('Env')
        ? `${name}: ••••`
        : `${name}: ${typeof value === 'object' ? '{…}' : String(value)}`,
    )
    .join(' · ')
}

/** Inboxes (one address on one channel) and their channel settings. Everyone reads; admins edit. */
export function InboxesSection() {
  const { t } = useTranslation('settings')
  const session = useSession()
  const admin = session.can('admin')
  const [editing, setEditing] = useState<Inbox | 'new' | null>(null)
  const query = useQuery({
    queryKey: ['inboxes'],
    queryFn: () => api.get<Page<Inbox>>('/inboxes', { limit: 200 }),
  })
  return (
    <SettingsCard
      title={t('inboxes.title')}
      note={t('inboxes.note')}
      actions={
        admin && (
          <button
            type="button"
            className="button button--small button--primary"
            onClick={() => setEditing('new')}
          >
            {t('inboxes.new')}
          </button>
        )
      }
    >
      <DataState
        query={query}
        label={t('inboxes.title')}
        isEmpty={(data) => data.items.length === 0}
        empty={t('inboxes.empty')}
      >
        {(data) => (
          <ul className="settings__inboxes">
            {data.items.map((inbox) => (
              <li key={inbox.id} className="settings__inbox">
                <div>
                  <strong>{inbox.name}</strong> <Badge tone="info">{t(`channel.${inbox.channel}`)}</Badge>{' '}
                  {!inbox.active && <Badge tone="danger">{t('inboxes.inactive')}</Badge>}
                  <div className="muted small settings__mono">{inbox.address ?? '—'}</div>
                  {Object.keys(inbox.settings).length > 0 && (
                    <div className="muted small settings__mono">{settingsSummary(inbox.settings)}</div>
                  )}
                  {SIGNED.has(inbox.channel) && (
                    <div className="small">
                      {t('inboxes.webhook')}{' '}
                      <code className="settings__mono">{`${location.origin}/api/v1/channels/${inbox.channel}/webhook/${inbox.id}`}</code>
                    </div>
                  )}
                </div>
                {admin && (
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={t('inboxes.editLabel', { name: inbox.name })}
                    onClick={() => setEditing(inbox)}
                  >
                    {t('common:actions.edit')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </DataState>
      {editing !== null && (
        <InboxEditor inbox={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
    </SettingsCard>
  )
}

function InboxEditor({ inbox, onClose }: { inbox: Inbox | null; onClose: () => void }) {
  const { t } = useTranslation('settings')
  const toast = useToast()
  const queryClient = useQueryClient()
  const id = useId()
  const [draft, setDraft] = useState({
    name: inbox?.name ?? '',
    channel: inbox?.channel ?? 'chat',
    address: inbox?.address ?? '',
    active: inbox?.active ?? true,
    settings: JSON.stringify(inbox?.settings ?? {}, null, 2),
  })
  const [parseError, setParseError] = useState<string | null>(null)
  const save = useMutation({
    mutationFn: (settings: unknown) => {
      const common = {
        name: draft.name.trim(),
        address: draft.address.trim() || null,
        active: draft.active,
        settings,
      }
      return inbox
        ? api.patch<Inbox>(`/inboxes/${inbox.id}`, common)
        : api.post<Inbox>('/inboxes', { ...common, channel: draft.channel })
    },
    onSuccess: async () => {
      toast.success(t('saved'))
      await queryClient.invalidateQueries({ queryKey: ['inboxes'] })
      onClose()
    },
  })
  const issues = save.error instanceof ApiError ? save.error.issues : []
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const parsed = parseJson(draft.settings)
    if (
      !parsed.ok ||
      typeof parsed.value !== 'object' ||
      parsed.value === null ||
      Array.isArray(parsed.value)
    ) {
      setParseError(
        t('inboxes.settingsInvalid', { message: parsed.ok ? t('json.notObject') : parsed.message }),
      )
      return
    }
    setParseError(null)
    save.mutate(parsed.value)
  }
  return (
    <Modal
      open
      title={inbox ? t('inboxes.editTitle', { name: inbox.name }) : t('inboxes.new')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('common:actions.cancel')}
          </button>
          <button
            type="submit"
            form={`${id}-form`}
            className="button button--primary"
            disabled={save.isPending}
          >
            {t('common:actions.save')}
          </button>
        </>
      }
    >
      <form id={`${id}-form`} onSubmit={submit} noValidate>
        <div className="form-fields">
          <div className="form-field">
            <label htmlFor={`${id}-name`}>{t('inboxes.name')}</label>
            <input
              id={`${id}-name`}
              value={draft.name}
              onChange={(event) => setDraft({ ...draft, name: event.target.value })}
            />
            {issueFor(issues, 'name') && <span className="form-error">{issueFor(issues, 'name')}</span>}
          </div>
          <div className="form-field">
            <label htmlFor={`${id}-channel`}>{t('inboxes.channel')}</label>
            <select
              id={`${id}-channel`}
              value={draft.channel}
              disabled={inbox !== null}
              aria-describedby={inbox ? `${id}-channel-hint` : undefined}
              onChange={(event) => setDraft({ ...draft, channel: event.target.value as Inbox['channel'] })}
            >
              {CHANNELS.map((channel) => (
                <option key={channel} value={channel}>
                  {t(`channel.${channel}`)}
                </option>
              ))}
            </select>
            {inbox && (
              <span id={`${id}-channel-hint`} className="muted small">
                {t('inboxes.channelFixed')}
              </span>
            )}
          </div>
          <div className="form-field">
            <label htmlFor={`${id}-address`}>{t('inboxes.address')}</label>
            <input
              id={`${id}-address`}
              value={draft.address}
              onChange={(event) => setDraft({ ...draft, address: event.target.value })}
            />
            {issueFor(issues, 'address') && <span className="form-error">{issueFor(issues, 'address')}</span>}
          </div>
          <div className="form-field">
            <span>{t('inboxes.status')}</span>
            <label className="form-check">
              <input
                type="checkbox"
                checked={draft.active}
                onChange={(event) => setDraft({ ...draft, active: event.target.checked })}
              />
              {t('inboxes.active')}
            </label>
          </div>
        </div>
        <JsonEditor
          label={t('inboxes.settings')}
          hint={t('inboxes.settingsHint')}
          value={draft.settings}
          onChange={(settings) => setDraft({ ...draft, settings })}
          issues={issues.filter((issue) => !['name', 'address'].some((field) => issue.path.endsWith(field)))}
          error={parseError ?? (save.error && issues.length === 0 ? save.error.message : null)}
          rows={8}
        />
      </form>
    </Modal>
  )
}
