import { useQuery, useQueryClient } from '@tanstack/react-query'
import { Suspense, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router-dom'
import { DataState } from './components/DataState'
import { Icon } from './components/Icon'
import { LanguageSwitch } from './components/LanguageSwitch'
import { LoginForm } from './components/LoginForm'
import { NotificationsBell } from './components/NotificationsBell'
import { connectLive } from './lib/live'
import { useSession } from './lib/session'
import { workspaceQuery } from './lib/workspace'
import { HOME, NAV } from './routes'

/** The console: the sign-in form while signed out, else the shell (top bar, side nav) around the pages. */
export function App() {
  const session = useSession()
  const { t } = useTranslation()
  if (session.loading) {
    return (
      <div className="boot" role="status">
        {t('state.loading')}
      </div>
    )
  }
  if (!session.user) return <LoginForm />
  return <Shell />
}

function Shell() {
  const { t } = useTranslation()
  const session = useSession()
  const queryClient = useQueryClient()
  const location = useLocation()
  const [navOpen, setNavOpen] = useState(false)
  const workspace = useQuery(workspaceQuery)

  useEffect(() => connectLive(queryClient), [queryClient])
  useEffect(() => setNavOpen(false), [location.pathname])

  const user = session.user!
  return (
    <div className={`shell ${navOpen ? 'shell--nav-open' : ''}`}>
      <a className="skip-link" href="#main">
        {t('shell.skip')}
      </a>
      <header className="topbar">
        <button
          type="button"
          className="icon-button topbar__menu"
          aria-label={navOpen ? t('shell.closeMenu') : t('shell.openMenu')}
          aria-expanded={navOpen}
          aria-controls="sidenav"
          onClick={() => setNavOpen((value) => !value)}
        >
          <Icon name={navOpen ? 'close' : 'menu'} />
        </button>
        <NavLink to={HOME} className="topbar__brand">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          <span>{workspace.data?.name ?? 'AgentCRM'}</span>
        </NavLink>
        <div className="topbar__right">
          <LanguageSwitch />
          <NotificationsBell />
          <span className="topbar__user" title={user.email}>
            <span className="avatar" aria-hidden="true">
              {(user.name ?? user.email).slice(0, 1).toUpperCase()}
            </span>
            <span className="topbar__user-text">
              <span className="topbar__user-name" data-testid="current-user">
                {user.name ?? user.email}
              </span>
              <span className="muted small">{t(`roles.${user.role}`)}</span>
            </span>
          </span>
          <button type="button" className="button button--ghost" onClick={() => void session.signOut()}>
            {t('shell.signOut')}
          </button>
        </div>
      </header>
      <nav id="sidenav" className="sidenav" aria-label={t('shell.navigation')}>
        <ul>
          {NAV.map((entry) => (
            <li key={entry.path}>
              <NavLink
                to={`/${entry.path}`}
                className={({ isActive }) => `sidenav__link ${isActive ? 'is-active' : ''}`}
              >
                {entry.icon && <Icon name={entry.icon} />}
                <span>{t(entry.labelKey)}</span>
              </NavLink>
            </li>
          ))}
        </ul>
        <a className="sidenav__link sidenav__docs" href="/api/docs">
          <Icon name="info" />
          <span>{t('shell.apiDocs')}</span>
        </a>
      </nav>
      <div className="sidenav-backdrop" aria-hidden="true" onClick={() => setNavOpen(false)} />
      <main id="main" className="main" tabIndex={-1}>
        <DataState query={workspace} label={t('shell.workspace')}>
          {() => (
            <Suspense
              fallback={
                <div className="data-state data-state--loading" role="status">
                  <span className="spinner" aria-hidden="true" />
                  {t('state.loading')}
                </div>
              }
            >
              <Routes>
                <Route index element={<Navigate to={HOME} replace />} />
                {NAV.map((entry) => (
                  <Route key={entry.path} path={`${entry.path}/*`} element={<entry.element />} />
                ))}
                <Route path="*" element={<NotFound />} />
              </Routes>
            </Suspense>
          )}
        </DataState>
      </main>
    </div>
  )
}

function NotFound() {
  const { t } = useTranslation()
  return (
    <section className="page">
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.text')}</p>
      <NavLink to={HOME} className="button">
        {t('notFound.home')}
      </NavLink>
    </section>
  )
}
