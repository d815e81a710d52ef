import { useId, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'

/** A settings card with a heading and an optional note. */
export function SettingsCard({
  title,
  note,
  actions,
  children,
}: {
  title: string
  note?: ReactNode
  actions?: ReactNode
  children: ReactNode
}) {
  const id = useId()
  return (
    <section className="card settings__card" aria-labelledby={id}>
      <header className="settings__card-header">
        <h2 id={id}>{title}</h2>
        {actions}
      </header>
      {note && <p className="muted small settings__note">{note}</p>}
      {children}
    </section>
  )
}

/** What a non-admin sees instead of an admin-only section (nothing is fetched for them). */
export function AdminOnly() {
  const { t } = useTranslation('settings')
  return (
    <p className="card muted" role="status">
      {t('adminOnly')}
    </p>
  )
}

/** The problem with one field among the API's issues (paths like `body.notifyEmail` or `notifyEmail`). */
export function issueFor(
  issues: readonly { path: string; message: string }[],
  field: string,
): string | undefined {
  return issues.find((issue) => issue.path === field || issue.path.endsWith(`.${field}`))?.message
}
