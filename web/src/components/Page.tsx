import { useEffect, type ReactNode } from 'react'

/** A page's frame: its heading (also the document title) and actions on the right. */
export function Page({
  title,
  actions,
  children,
}: {
  title: string
  actions?: ReactNode
  children: ReactNode
}) {
  useEffect(() => {
    document.title = `${title} · AgentCRM`
  }, [title])
  return (
    <section className="page">
      <header className="page__header">
        <h1>{title}</h1>
        {actions && <div className="page__actions">{actions}</div>}
      </header>
      {children}
    </section>
  )
}
