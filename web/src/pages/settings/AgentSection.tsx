import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Badge } from '../../components/Badge'
import { DataState } from '../../components/DataState'
import { JsonEditor, parseJson } from '../../components/JsonEditor'
import { useToast } from '../../components/Toast'
import { ApiError, api } from '../../lib/api'
import { formatNumber, formatPercent } from '../../lib/format'
import { useSession } from '../../lib/session'
import { SettingsCard } from './shared'
import type { Thresholds } from './types'

interface PolicyAnswer {
  readonly version: number | null
  readonly builtIn: boolean
  readonly document: unknown
}

/** The agent's decision thresholds (read-only: `agent calibrate` tunes them) and its policy set (JSON). */
export function AgentSection() {
  return (
    <>
      <ThresholdsCard />
      <PoliciesCard />
    </>
  )
}

function ThresholdsCard() {
  const { t } = useTranslation('settings')
  const query = useQuery({
    queryKey: ['agent-thresholds'],
    queryFn: () => api.get<Thresholds>('/agent/thresholds'),
  })
  return (
    <SettingsCard title={t('thresholds.title')} note={t('thresholds.note')}>
      <DataState query={query} label={t('thresholds.title')}>
        {(thresholds) => (
          <dl className="settings__facts">
            {Object.entries(thresholds).map(([name, value]) => (
              <div key={name}>
                <dt>{t(`thresholds.name.${name}`, { defaultValue: name })}</dt>
                <dd>
                  {typeof value === 'number'
                    ? value <= 1
                      ? formatPercent(value)
                      : formatNumber(value)
                    : t(`thresholds.value.${String(value)}`, { defaultValue: String(value) })}
                </dd>
              </div>
            ))}
          </dl>
        )}
      </DataState>
    </SettingsCard>
  )
}

function PoliciesCard() {
  const { t } = useTranslation('settings')
  const query = useQuery({
    queryKey: ['agent-policies'],
    queryFn: () => api.get<PolicyAnswer>('/agent/policies'),
  })
  return (
    <SettingsCard title={t('policies.title')} note={t('policies.note')}>
      <DataState query={query} label={t('policies.title')}>
        {(policies) => <PolicyEditor policies={policies} />}
      </DataState>
    </SettingsCard>
  )
}

function PolicyEditor({ policies }: { policies: PolicyAnswer }) {
  const { t } = useTranslation('settings')
  const session = useSession()
  const toast = useToast()
  const queryClient = useQueryClient()
  const admin = session.can('admin')
  const [text, setText] = useState(() => JSON.stringify(policies.document, null, 2))
  const [parseError, setParseError] = useState<string | null>(null)
  const save = useMutation({
    mutationFn: (document: unknown) => api.put<PolicyAnswer>('/agent/policies', { document }),
    onSuccess: async (answer) => {
      toast.success(t('policies.saved', { version: answer.version }))
      setText(JSON.stringify(answer.document, null, 2))
      await queryClient.invalidateQueries({ queryKey: ['agent-policies'] })
    },
  })
  const issues = save.error instanceof ApiError ? save.error.issues : []
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
  return (
    <form onSubmit={submit} noValidate>
      <p className="small">
        {policies.builtIn ? (
          <Badge>{t('policies.builtIn')}</Badge>
        ) : (
          <Badge tone="info">{t('policies.version', { version: policies.version })}</Badge>
        )}
      </p>
      <JsonEditor
        label={t('policies.editor')}
        hint={admin ? t('policies.hint') : t('readOnly')}
        value={text}
        onChange={setText}
        readOnly={!admin}
        issues={issues}
        error={parseError ?? (save.error && issues.length === 0 ? save.error.message : null)}
        rows={18}
      />
      {admin && (
        <div className="form-buttons">
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            {t('policies.save')}
          </button>
        </div>
      )}
    </form>
  )
}
