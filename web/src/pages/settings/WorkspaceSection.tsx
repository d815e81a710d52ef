import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useId, useMemo, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { DataState } from '../../components/DataState'
import { useToast } from '../../components/Toast'
import { ApiError, api } from '../../lib/api'
import { formatDate, setWorkspaceFormat } from '../../lib/format'
import { useSession } from '../../lib/session'
import { SettingsCard, issueFor } from './shared'
import { DAYS, type BusinessHours, type DayKey, type Workspace } from './types'

/** The workspace query the shell also reads (`['workspace']`). */
export function useWorkspace() {
  return useQuery({ queryKey: ['workspace'], queryFn: () => api.get<Workspace>('/workspace') })
}

/** Saves a workspace patch and refreshes every date on screen (the format helpers read the new zone). */
export function useSaveWorkspace() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (patch: Partial<Workspace>) => api.patch<Workspace>('/workspace', patch),
    onSuccess: (workspace) => {
      setWorkspaceFormat(workspace)
      queryClient.setQueryData(['workspace'], workspace)
    },
  })
}

const RANGE = /^([01]\d|2[0-4]):[0-5]\d\s*[-–~]\s*([01]\d|2[0-4]):[0-5]\d$/

function hoursText(ranges: { start: string; end: string }[]): string {
  return ranges.map((range) => `${range.start}–${range.end}`).join(', ')
}

/** "09:00–12:00, 13:00–18:00" → ranges; an empty text is a closed day; null when a range is malformed. */
function parseHours(text: string): { start: string; end: string }[] | null {
  const parts = text
    .split(/[,，;]/)
    .map((part) => part.trim())
    .filter(Boolean)
  const ranges: { start: string; end: string }[] = []
  for (const part of parts) {
    if (!RANGE.test(part)) return null
    const [start, end] = part.split(/\s*[-–~]\s*/)
    ranges.push({ start, end })
  }
  return ranges
}

function timeZones(current: string): string[] {
  const supported =
    (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? []
  const zones = new Set([...supported, 'UTC', current])
  return [...zones].sort()
}

/** Name, time zone, base currency, region, locale and business hours. Admins edit; others read. */
export function WorkspaceSection() {
  const { t } = useTranslation('settings')
  const query = useWorkspace()
  return (
    <DataState query={query} label={t('workspace.title')}>
      {(workspace) => <WorkspaceForm workspace={workspace} />}
    </DataState>
  )
}

function WorkspaceForm({ workspace }: { workspace: Workspace }) {
  const { t } = useTranslation('settings')
  const session = useSession()
  const toast = useToast()
  const save = useSaveWorkspace()
  const id = useId()
  const admin = session.can('admin')
  const [draft, setDraft] = useState({
    name: workspace.name,
    timeZone: workspace.timeZone,
    baseCurrency: workspace.baseCurrency,
    defaultRegion: workspace.defaultRegion,
    locale: workspace.locale,
  })
  const [hours, setHours] = useState<Record<DayKey, string>>(
    () =>
      Object.fromEntries(DAYS.map((day) => [day, hoursText(workspace.businessHours[day] ?? [])])) as Record<
        DayKey,
        string
      >,
  )
  const [hoursProblem, setHoursProblem] = useState<DayKey | null>(null)
  const zones = useMemo(() => timeZones(workspace.timeZone), [workspace.timeZone])
  const issues = save.error instanceof ApiError ? save.error.issues : []

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const businessHours = {} as BusinessHours
    for (const day of DAYS) {
      const ranges = parseHours(hours[day])
      if (ranges === null) {
        setHoursProblem(day)
        return
      }
      businessHours[day] = ranges
    }
    setHoursProblem(null)
    save.mutate(
      {
        ...draft,
        baseCurrency: draft.baseCurrency.trim().toUpperCase(),
        defaultRegion: draft.defaultRegion.trim().toUpperCase(),
        businessHours,
      },
      { onSuccess: () => toast.success(t('saved')) },
    )
  }

  const text = (field: 'name' | 'baseCurrency' | 'defaultRegion' | 'locale', hint?: string) => {
    const problem = issueFor(issues, field)
    return (
      <div className="form-field">
        <label htmlFor={`${id}-${field}`}>{t(`workspace.${field}`)}</label>
        <input
          id={`${id}-${field}`}
          value={draft[field]}
          readOnly={!admin}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-${field}-error` : hint ? `${id}-${field}-hint` : undefined}
          onChange={(event) => setDraft({ ...draft, [field]: event.target.value })}
        />
        {hint && (
          <span id={`${id}-${field}-hint`} className="muted small">
            {hint}
          </span>
        )}
        {problem && (
          <span id={`${id}-${field}-error`} className="form-error">
            {problem}
          </span>
        )}
      </div>
    )
  }

  return (
    <form onSubmit={submit} noValidate>
      <SettingsCard
        title={t('workspace.title')}
        note={
          <>
            {admin ? t('workspace.note') : t('readOnly')}{' '}
            <span data-testid="workspace-created">
              {t('workspace.created', { date: formatDate(workspace.createdAt) })}
            </span>
          </>
        }
      >
        <div className="form-fields">
          {text('name')}
          <div className="form-field">
            <label htmlFor={`${id}-timeZone`}>{t('workspace.timeZone')}</label>
            <select
              id={`${id}-timeZone`}
              value={draft.timeZone}
              disabled={!admin}
              onChange={(event) => setDraft({ ...draft, timeZone: event.target.value })}
            >
              {zones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone}
                </option>
              ))}
            </select>
          </div>
          {text('baseCurrency', t('workspace.currencyHint'))}
          {text('defaultRegion', t('workspace.regionHint'))}
          {text('locale', t('workspace.localeHint'))}
        </div>
      </SettingsCard>
      <SettingsCard title={t('hours.title')} note={t('hours.note')}>
        <div className="settings__hours">
          {DAYS.map((day) => (
            <div className="form-field" key={day}>
              <label htmlFor={`${id}-hours-${day}`}>{t(`hours.day.${day}`)}</label>
              <input
                id={`${id}-hours-${day}`}
                value={hours[day]}
                readOnly={!admin}
                placeholder={t('hours.closed')}
                aria-invalid={hoursProblem === day ? true : undefined}
                onChange={(event) => setHours({ ...hours, [day]: event.target.value })}
              />
            </div>
          ))}
        </div>
        {hoursProblem && (
          <p className="form-error" role="alert">
            {t('hours.invalid', { day: t(`hours.day.${hoursProblem}`) })}
          </p>
        )}
      </SettingsCard>
      {save.error && (
        <p className="form-error" role="alert">
          {save.error.message}
        </p>
      )}
      {admin && (
        <div className="form-buttons">
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            {save.isPending ? t('common:state.loading') : t('common:actions.save')}
          </button>
        </div>
      )}
    </form>
  )
}
