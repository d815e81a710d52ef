import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { useSession } from '../lib/session'
import { LanguageSwitch } from './LanguageSwitch'

/** The sign-in form (email + password → the session cookie). */
export function LoginForm() {
  const { t } = useTranslation()
  const session = useSession()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await session.signIn(email, password)
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure))
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="login">
      <form className="login__card" onSubmit={(event) => void submit(event)} aria-labelledby="login-title">
        <div className="login__brand">
          <img src="/favicon.svg" alt="" width={32} height={32} />
          <span>AgentCRM</span>
        </div>
        <h1 id="login-title">{t('login.title')}</h1>
        <label htmlFor="login-email">{t('login.email')}</label>
        <input
          id="login-email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <label htmlFor="login-password">{t('login.password')}</label>
        <input
          id="login-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          {busy ? t('login.signingIn') : t('login.submit')}
        </button>
        <p className="muted small">{t('login.firstStart')}</p>
        <div className="login__language">
          <LanguageSwitch />
        </div>
      </form>
    </main>
  )
}
