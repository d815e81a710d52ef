import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, Route, Routes, useSearchParams } from 'react-router-dom'
import { Badge } from '../../components/Badge'
import { DataState } from '../../components/DataState'
import { Page } from '../../components/Page'
import { api, type Page as ApiPage } from '../../lib/api'
import { formatDate } from '../../lib/format'
import { useSession } from '../../lib/session'
import { ArticleEditor, FaqEditor } from './Editors'
import { TryQuestion } from './TryQuestion'
import type { Article, Faq } from './types'
import '../../components/forms.css'
import './knowledge.css'

/**
 * The knowledge base: `/knowledge` lists and searches articles and FAQ entries with a "try a question"
 * box; `/knowledge/articles/:id` and `/knowledge/faqs/:id` edit one (`new` creates one).
 */
export default function KnowledgePage() {
  return (
    <Routes>
      <Route index element={<KnowledgeHome />} />
      <Route path="articles/:id" element={<ArticleEditor />} />
      <Route path="faqs/:id" element={<FaqEditor />} />
    </Routes>
  )
}

type Tab = 'articles' | 'faqs'

function KnowledgeHome() {
  const { t } = useTranslation('knowledge')
  const session = useSession()
  const [params, setParams] = useSearchParams()
  const tab: Tab = params.get('tab') === 'faqs' ? 'faqs' : 'articles'
  const q = params.get('q') ?? ''
  const status = params.get('status') ?? ''
  const language = params.get('language') ?? ''
  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params)
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value)
      else next.delete(key)
    }
    setParams(next, { replace: true })
  }
  return (
    <Page
      title={t('title')}
      actions={
        session.can('agent') && (
          <Link className="button button--primary" to={tab === 'faqs' ? 'faqs/new' : 'articles/new'}>
            {tab === 'faqs' ? t('newFaq') : t('newArticle')}
          </Link>
        )
      }
    >
      <div className="kb__layout">
        <div className="kb__main">
          <div className="kb__tabs" role="tablist" aria-label={t('kinds')}>
            {(['articles', 'faqs'] as const).map((key) => (
              <button
                key={key}
                type="button"
                role="tab"
                id={`kb-tab-${key}`}
                aria-selected={tab === key}
                aria-controls="kb-panel"
                className={`kb__tab ${tab === key ? 'is-active' : ''}`}
                tabIndex={tab === key ? 0 : -1}
                onClick={() => set({ tab: key === 'faqs' ? 'faqs' : '' })}
                onKeyDown={(event) => {
                  // arrow keys move between the two tabs (the ARIA tabs pattern)
                  if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return
                  const other = key === 'faqs' ? 'articles' : 'faqs'
                  set({ tab: other === 'faqs' ? 'faqs' : '' })
                  document.getElementById(`kb-tab-${other}`)?.focus()
                }}
              >
                {t(`tab.${key}`)}
              </button>
            ))}
          </div>
          <div id="kb-panel" role="tabpanel" aria-labelledby={`kb-tab-${tab}`}>
            <Filters
              key={tab}
              q={q}
              status={status}
              language={language}
              onChange={(changes) => set(changes)}
            />
            {tab === 'articles' ? (
              <ArticleList q={q} status={status} language={language} />
            ) : (
              <FaqList q={q} status={status} language={language} />
            )}
          </div>
        </div>
        <aside className="kb__side">
          <TryQuestion />
        </aside>
      </div>
    </Page>
  )
}

function Filters({
  q,
  status,
  language,
  onChange,
}: {
  q: string
  status: string
  language: string
  onChange: (changes: Record<string, string>) => void
}) {
  const { t } = useTranslation('knowledge')
  const id = useId()
  const [text, setText] = useState(q)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    onChange({ q: text.trim() })
  }
  return (
    <form className="kb__filters" role="search" onSubmit={submit} aria-label={t('filters')}>
      <div className="form-field kb__search">
        <label htmlFor={`${id}-q`}>{t('searchLabel')}</label>
        <input
          id={`${id}-q`}
          type="search"
          value={text}
          placeholder={t('searchPlaceholder')}
          onChange={(event) => setText(event.target.value)}
        />
      </div>
      <div className="form-field">
        <label htmlFor={`${id}-status`}>{t('field.status')}</label>
        <select
          id={`${id}-status`}
          value={status}
          onChange={(event) => onChange({ status: event.target.value })}
        >
          <option value="">{t('any')}</option>
          <option value="published">{t('status.published')}</option>
          <option value="draft">{t('status.draft')}</option>
        </select>
      </div>
      <div className="form-field">
        <label htmlFor={`${id}-language`}>{t('field.language')}</label>
        <select
          id={`${id}-language`}
          value={language}
          onChange={(event) => onChange({ language: event.target.value })}
        >
          <option value="">{t('any')}</option>
          <option value="zh">{t('language.zh')}</option>
          <option value="en">{t('language.en')}</option>
        </select>
      </div>
      <div className="kb__filters-submit">
        <button type="submit" className="button">
          {t('common:actions.search')}
        </button>
      </div>
    </form>
  )
}

interface ListFilters {
  q: string
  status: string
  language: string
}

function useKbList<T>(kind: 'articles' | 'faqs', filters: ListFilters) {
  return useQuery({
    queryKey: ['kb', kind, filters],
    queryFn: () => api.get<ApiPage<T>>(`/kb/${kind}`, { ...filters, limit: 100, sort: '-updatedAt' }),
    placeholderData: keepPreviousData,
  })
}

function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation('knowledge')
  return <Badge tone={status === 'published' ? 'success' : 'warning'}>{t(`status.${status}`)}</Badge>
}

function ArticleList(filters: ListFilters) {
  const { t } = useTranslation('knowledge')
  const query = useKbList<Article>('articles', filters)
  return (
    <DataState
      query={query}
      label={t('tab.articles')}
      isEmpty={(page) => page.items.length === 0}
      empty={filters.q ? t('noMatches') : t('noArticles')}
    >
      {(page) => (
        <ul className="kb__list" aria-label={t('tab.articles')} data-testid="kb-articles">
          {page.items.map((article) => (
            <li key={article.id} className="kb__item card">
              <div className="kb__item-head">
                <Link to={`articles/${article.id}`} className="kb__item-title">
                  {article.title}
                </Link>
                <StatusBadge status={article.status} />
              </div>
              <p className="muted small kb__item-meta">
                {t(`language.${article.language}`)} · {t('versionN', { version: article.version })} ·{' '}
                {t('updated', { when: formatDate(article.updatedAt) })}
                {article.tags.length > 0 && <> · {article.tags.join(', ')}</>}
              </p>
            </li>
          ))}
        </ul>
      )}
    </DataState>
  )
}

function FaqList(filters: ListFilters) {
  const { t } = useTranslation('knowledge')
  const query = useKbList<Faq>('faqs', filters)
  return (
    <DataState
      query={query}
      label={t('tab.faqs')}
      isEmpty={(page) => page.items.length === 0}
      empty={filters.q ? t('noMatches') : t('noFaqs')}
    >
      {(page) => (
        <ul className="kb__list" aria-label={t('tab.faqs')} data-testid="kb-faqs">
          {page.items.map((faq) => (
            <li key={faq.id} className="kb__item card">
              <div className="kb__item-head">
                <Link to={`faqs/${faq.id}`} className="kb__item-title">
                  {faq.question}
                </Link>
                <StatusBadge status={faq.status} />
              </div>
              <p className="kb__item-answer">{faq.answer}</p>
              <p className="muted small kb__item-meta">
                {t(`language.${faq.language}`)} · {t('paraphraseCount', { count: faq.paraphrases.length })} ·{' '}
                {t('updated', { when: formatDate(faq.updatedAt) })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </DataState>
  )
}
