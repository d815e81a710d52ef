import { useTranslation } from 'react-i18next'
import { NavLink, Navigate, Route, Routes, useParams } from 'react-router-dom'
import { Page } from '../../components/Page'
import { useSession } from '../../lib/session'
import { AgentSection } from './AgentSection'
import { InboxesSection } from './InboxesSection'
import { LlmSection } from './LlmSection'
import { NotificationsSection } from './NotificationsSection'
import { TokensSection } from './TokensSection'
import { UsersSection } from './UsersSection'
import { WorkspaceSection } from './WorkspaceSection'
import { AdminOnly } from './shared'
import './settings.css'

/** The sections, in tab order; `admin` ones are hidden from other roles (and the API refuses them anyway). */
const SECTIONS = [
  { key: 'workspace', admin: false, element: <WorkspaceSection /> },
  { key: 'notifications', admin: false, element: <NotificationsSection /> },
  { key: 'users', admin: true, element: <UsersSection /> },
  { key: 'tokens', admin: true, element: <TokensSection /> },
  { key: 'inboxes', admin: false, element: <InboxesSection /> },
  { key: 'llm', admin: true, element: <LlmSection /> },
  { key: 'agent', admin: false, element: <AgentSection /> },
] as const

/** Settings: `/settings/<section>` with a tab list of the sections the user may see. */
export default function SettingsPage() {
  return (
    <Routes>
      <Route index element={<Navigate to="workspace" replace />} />
      <Route path=":section" element={<SettingsLayout />} />
    </Routes>
  )
}

function SettingsLayout() {
  const { t } = useTranslation('settings')
  const session = useSession()
  const { section } = useParams()
  const visible = SECTIONS.filter((entry) => !entry.admin || session.can('admin'))
  const current = SECTIONS.find((entry) => entry.key === section)
  if (!current) return <Navigate to="/settings/workspace" replace />
  return (
    <Page title={t('title')}>
      <nav className="settings__tabs" aria-label={t('sections')}>
        <ul>
          {visible.map((entry) => (
            <li key={entry.key}>
              <NavLink
                to={`/settings/${entry.key}`}
                className={({ isActive }) => `settings__tab ${isActive ? 'is-active' : ''}`}
              >
                {t(`section.${entry.key}`)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="settings__body">
        {current.admin && !session.can('admin') ? <AdminOnly /> : current.element}
      </div>
    </Page>
  )
}
