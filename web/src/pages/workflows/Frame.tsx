import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { NavLink } from 'react-router-dom'
import { Badge } from '../../components/Badge'
import { Page } from '../../components/Page'
import { useSession } from '../../lib/session'

/** The tabs shared by the workflow pages. */
export function WorkflowTabs() {
  const { t } = useTranslation('workflows')
  const session = useSession()
  const tabs = [
    { to: '/workflows', label: t('tabs.workflows'), end: true },
    { to: '/workflows/runs', label: t('tabs.runs'), end: false },
    ...(session.can('agent') ? [{ to: '/workflows/approvals', label: t('tabs.approvals'), end: false }] : []),
  ]
  return (
    <nav className="wf__tabs" aria-label={t('tabs.label')}>
      <ul>
        {tabs.map((tab) => (
          <li key={tab.to}>
            <NavLink
              to={tab.to}
              end={tab.end}
              className={({ isActive }) => `wf__tab ${isActive ? 'is-active' : ''}`}
            >
              {tab.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  )
}

export function WorkflowsFrame({
  title,
  actions,
  children,
}: {
  title: string
  actions?: ReactNode
  children: ReactNode
}) {
  return (
    <Page title={title} actions={actions}>
      <WorkflowTabs />
      {children}
    </Page>
  )
}

export function EnabledBadge({ enabled }: { enabled: boolean }) {
  const { t } = useTranslation('workflows')
  return <Badge tone={enabled ? 'success' : 'neutral'}>{enabled ? t('enabled') : t('disabled')}</Badge>
}
