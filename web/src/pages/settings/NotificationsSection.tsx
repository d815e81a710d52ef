import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { DataState } from '../../components/DataState'
import { JsonEditor, parseJson } from '../../components/JsonEditor'
import { useToast } from '../../components/Toast'
import { ApiError, api } from '../../lib/api'
import { useSession } from '../../lib/session'
import { useSaveWorkspace, useWorkspace } from './WorkspaceSection'
import { SettingsCard, issueFor } from './shared'
import type { Workspace } from './types'

/** Where notifications go (team email, chat-ops webhook) and who gets conversations handed off to nobody. */
export function NotificationsSection() {
  const { t } = useTranslation('settings')
  const workspace = useWorkspace()
  return (
    <>
      <DataState query={workspace} label={t('notifications.title')}>
        {(data) => <NotifyForm workspace={data} />}
      </DataState>
      <AssignmentRules />
    </>
  )
}

function NotifyForm({ workspace }: { workspace: Workspace }) {
  const { t } = useTranslation('settings')
  const session = useSession()
  const toast = useToast()
  const save = useSaveWorkspace()
  const id = useId()
  const admin = session.can('admin')
  const [email, setEmail] = useState(workspace.notifyEmail ?? '')
  const [webhook, setWebhook] = useState(workspace.notifyWebhookUrl ?? '')
  const issues = save.error instanceof ApiError ? save.error.issues : []
  const submit = (event: FormEvent) => {
    event.preventDefault()
    save.mutate(
      { notifyEmail: email.trim() || null, notifyWebhookUrl: webhook.trim() || null },
      { onSuccess: () => toast.success(t('saved')) },
    )
  }
  const field = (
    name: 'notifyEmail' | 'notifyWebhookUrl',
    value: string,
    set: (text: string) => void,
    type: string,
  ) => {
    const problem = issueFor(issues, name)
    return (
      <div className="form-field">
        <label htmlFor={`${id}-${name}`}>{t(`notifications.${name}`)}</label>
        <input
          id={`${id}-${name}`}
          type={type}
          value={value}
          readOnly={!admin}
          placeholder={t(`notifications.${name}Placeholder`)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${id}-${name}-hint${problem ? ` ${id}-${name}-error` : ''}`}
          onChange={(event) => set(event.target.value)}
        />
        <span id={`${id}-${name}-hint`} className="muted small">
          {t(`notifications.${name}Hint`)}
        </span>
        {problem && (
          <span id={`${id}-${name}-error`} className="form-error">
            {problem}
          </span>
        )}
      </div>
    )
  }
  return (
    <form onSubmit={submit} noValidate>
      <SettingsCard title={t('notifications.title')} note={admin ? t('notifications.note') : t('readOnly')}>
        <div className="form-fields">
          {field('notifyEmail', email, setEmail, 'email')}
          {field('notifyWebhookUrl', webhook, setWebhook, 'url')}
        </div>
        {save.error && issues.length === 0 && (
          <p className="form-error" role="alert">
            {save.error.message}
          </p>
        )}
        {admin && (
          <div className="form-buttons">
            <button type="submit" className="button button--primary" disabled={save.isPending}>
              {t('common:actions.save')}
            </button>
          </div>
        )}
      </SettingsCard>
    </form>
  )
}

interface AssignmentRulesAnswer {
  readonly rules: unknown[]
  readonly [key: string]: unknown
}

const RULE_EXAMPLE = {
  rules: [
    {
      name: 'vip-to-senior-team',
      when: { field: 'customer.tier', op: 'eq', value: 'vip' },
      assignTo: ['usr_…'],
      enabled: true,
    },
  ],
}

function AssignmentRules() {
  const { t } = useTranslation('settings')
  const query = useQuery({
    queryKey: ['assignment-rules'],
    queryFn: () => api.get<AssignmentRulesAnswer>('/actions/assignment-rules'),
  })
  return (
    <SettingsCard title={t('assignment.title')} note={t('assignment.note')}>
      <DataState query={query} label={t('assignment.title')}>
        {(data) => <AssignmentEditor rules={data.rules} />}
      </DataState>
    </SettingsCard>
  )
}

function AssignmentEditor({ rules }: { rules: unknown[] }) {
  const { t } = useTranslation('settings')
  const session = useSession()
  const toast = useToast()
  const queryClient = useQueryClient()
  const admin = session.can('admin')
  const [text, setText] = useState(() => JSON.stringify({ rules }, null, 2))
  const [parseError, setParseError] = useState<string | null>(null)
  const save = useMutation({
    mutationFn: (body: unknown) => api.put<AssignmentRulesAnswer>('/actions/assignment-rules', body),
    onSuccess: async (answer) => {
      toast.success(t('saved'))
      setText(JSON.stringify({ rules: answer.rules }, null, 2))
      await queryClient.invalidateQueries({ queryKey: ['assignment-rules'] })
    },
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const parsed = parseJson(text)
    if (!parsed.ok) {
      setParseError(t('json.invalid', { message: parsed.message }))
      return
    }
    setParseError(null)
    save.mutate(parsed.value)
  }
  const issues = save.error instanceof ApiError ? save.error.issues : []
  return (
    <form onSubmit={submit} noValidate>
      <JsonEditor
        label={t('assignment.editor')}
        hint={t('assignment.hint', { example: JSON.stringify(RULE_EXAMPLE.rules[0]) })}
        value={text}
        onChange={setText}
        readOnly={!admin}
        issues={issues}
        error={parseError ?? (save.error && issues.length === 0 ? save.error.message : null)}
        rows={10}
      />
      {admin && (
        <div className="form-buttons">
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            {t('assignment.save')}
          </button>
        </div>
      )}
    </form>
  )
}
