import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useId, useState, type FormEvent, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams } from 'react-router-dom'
import { DataState } from '../../components/DataState'
import { Page } from '../../components/Page'
import { useToast } from '../../components/Toast'
import { ApiError, api, type FieldIssue } from '../../lib/api'
import { formatDate } from '../../lib/format'
import { useSession } from '../../lib/session'
import { MarkdownPreview } from './MarkdownPreview'
import type { Article, ArticleStatus, ArticleVersion, ContentLanguage, Faq } from './types'

const splitTags = (text: string) =>
  text
    .split(/[,，]/)
    .map((tag) => tag.trim())
    .filter(Boolean)

const issueFor = (error: unknown, field: string): string | undefined =>
  error instanceof ApiError
    ? error.issues.find((issue: FieldIssue) => issue.path === field || issue.path.startsWith(`${field}.`))
        ?.message
    : undefined

/** A labelled field with the API's problem for it, if any. */
function Field({
  id,
  label,
  problem,
  wide,
  children,
}: {
  id: string
  label: string
  problem?: string
  wide?: boolean
  children: ReactNode
}) {
  return (
    <div className={`form-field ${wide ? 'form-field--wide' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {problem && (
        <p id={`${id}-error`} className="form-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  )
}

/** Language, status and tags: the fields articles and FAQ entries share. */
function CommonFields({
  id,
  draft,
  onChange,
  error,
  readOnly,
}: {
  id: string
  draft: { language: ContentLanguage; status: ArticleStatus; tags: string }
  onChange: (changes: Partial<{ language: ContentLanguage; status: ArticleStatus; tags: string }>) => void
  error: unknown
  readOnly: boolean
}) {
  const { t } = useTranslation('knowledge')
  return (
    <>
      <Field id={`${id}-language`} label={t('field.language')} problem={issueFor(error, 'language')}>
        <select
          id={`${id}-language`}
          value={draft.language}
          disabled={readOnly}
          onChange={(event) => onChange({ language: event.target.value as ContentLanguage })}
        >
          <option value="zh">{t('language.zh')}</option>
          <option value="en">{t('language.en')}</option>
        </select>
      </Field>
      <Field id={`${id}-status`} label={t('field.status')} problem={issueFor(error, 'status')}>
        <select
          id={`${id}-status`}
          value={draft.status}
          disabled={readOnly}
          onChange={(event) => onChange({ status: event.target.value as ArticleStatus })}
        >
          <option value="draft">{t('status.draft')}</option>
          <option value="published">{t('status.published')}</option>
        </select>
      </Field>
      <Field id={`${id}-tags`} label={t('field.tags')} problem={issueFor(error, 'tags')}>
        <input
          id={`${id}-tags`}
          value={draft.tags}
          readOnly={readOnly}
          aria-describedby={`${id}-tags-hint`}
          onChange={(event) => onChange({ tags: event.target.value })}
        />
        <span id={`${id}-tags-hint`} className="muted small">
          {t('tagsHint')}
        </span>
      </Field>
    </>
  )
}

function Versions({ kind, id }: { kind: 'articles' | 'faqs'; id: string }) {
  const { t } = useTranslation('knowledge')
  const query = useQuery({
    queryKey: ['kb', kind, id, 'versions'],
    queryFn: () => api.get<{ items: ArticleVersion[] }>(`/kb/${kind}/${id}/versions`),
  })
  return (
    <section className="card kb__versions" aria-labelledby="kb-versions-title">
      <h2 id="kb-versions-title">{t('versions')}</h2>
      <DataState query={query} label={t('versions')} isEmpty={(page) => page.items.length === 0}>
        {(page) => (
          <ol className="kb__version-list">
            {page.items.map((version) => (
              <li key={version.id}>
                <strong>{t('versionN', { version: version.version })}</strong>{' '}
                <span className="muted small">{formatDate(version.createdAt)}</span>
                <div className="small">{version.question ?? version.title}</div>
              </li>
            ))}
          </ol>
        )}
      </DataState>
    </section>
  )
}

function useRecord<T>(kind: 'articles' | 'faqs', id: string | undefined) {
  return useQuery({
    queryKey: ['kb', kind, id],
    queryFn: () => api.get<T>(`/kb/${kind}/${id}`),
    enabled: id !== undefined && id !== 'new',
  })
}

/** `/knowledge/articles/:id` (or `new`): title, language, tags, status and the Markdown body with a live preview. */
export function ArticleEditor() {
  const { t } = useTranslation('knowledge')
  const { id } = useParams()
  const query = useRecord<Article>('articles', id)
  if (id === 'new') return <ArticleForm article={null} />
  return (
    <Page title={t('editArticle')}>
      <DataState query={query} label={t('article')}>
        {(article) => <ArticleForm key={`${article.id}:${article.version}`} article={article} />}
      </DataState>
    </Page>
  )
}

function ArticleForm({ article }: { article: Article | null }) {
  const { t } = useTranslation('knowledge')
  const session = useSession()
  const toast = useToast()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const id = useId()
  const readOnly = !session.can('agent')
  const [draft, setDraft] = useState({
    title: article?.title ?? '',
    body: article?.body ?? '',
    language: article?.language ?? ('zh' as ContentLanguage),
    status: article?.status ?? ('draft' as ArticleStatus),
    tags: article?.tags.join(', ') ?? '',
  })
  const save = useMutation({
    mutationFn: () => {
      const payload = {
        title: draft.title,
        body: draft.body,
        language: draft.language,
        status: draft.status,
        tags: splitTags(draft.tags),
      }
      return article
        ? api.patch<Article>(`/kb/articles/${article.id}`, payload)
        : api.post<Article>('/kb/articles', payload)
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['kb'] })
      toast.success(t('savedVersion', { version: saved.version }))
      if (!article) navigate(`/knowledge/articles/${saved.id}`, { replace: true })
    },
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    save.mutate()
  }
  const form = (
    <form className="kb__editor" onSubmit={submit} aria-label={t('editArticle')} noValidate>
      <div className="form-fields">
        <Field id={`${id}-title`} label={t('field.title')} problem={issueFor(save.error, 'title')} wide>
          <input
            id={`${id}-title`}
            value={draft.title}
            required
            readOnly={readOnly}
            onChange={(event) => setDraft({ ...draft, title: event.target.value })}
          />
        </Field>
        <CommonFields
          id={id}
          draft={draft}
          error={save.error}
          readOnly={readOnly}
          onChange={(changes) => setDraft({ ...draft, ...changes })}
        />
      </div>
      <div className="kb__markdown">
        <Field id={`${id}-body`} label={t('field.body')} problem={issueFor(save.error, 'body')}>
          <textarea
            id={`${id}-body`}
            className="kb__body-input"
            value={draft.body}
            rows={18}
            readOnly={readOnly}
            aria-describedby={`${id}-body-hint`}
            onChange={(event) => setDraft({ ...draft, body: event.target.value })}
          />
          <span id={`${id}-body-hint`} className="muted small">
            {t('markdownHint')}
          </span>
        </Field>
        <section className="kb__preview" aria-labelledby={`${id}-preview`}>
          <h2 id={`${id}-preview`} className="kb__preview-title">
            {t('preview')}
          </h2>
          <MarkdownPreview source={draft.body} />
        </section>
      </div>
      {save.error && !issueFor(save.error, 'title') && !issueFor(save.error, 'body') && (
        <p className="form-error" role="alert">
          {save.error.message}
        </p>
      )}
      <div className="form-buttons">
        <Link to="/knowledge" className="button">
          {t('common:actions.back')}
        </Link>
        {!readOnly && (
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            {article ? t('saveVersion') : t('create')}
          </button>
        )}
      </div>
      {article && (
        <p className="muted small">
          {t('versionN', { version: article.version })} ·{' '}
          {t('updated', { when: formatDate(article.updatedAt) })}
          {article.externalId && <> · {article.externalId}</>}
        </p>
      )}
    </form>
  )
  if (!article) return <Page title={t('newArticle')}>{form}</Page>
  return (
    <>
      {form}
      <Versions kind="articles" id={article.id} />
    </>
  )
}

/** `/knowledge/faqs/:id` (or `new`): question, paraphrases, answer, language, tags, status. */
export function FaqEditor() {
  const { t } = useTranslation('knowledge')
  const { id } = useParams()
  const query = useRecord<Faq>('faqs', id)
  if (id === 'new') return <FaqForm faq={null} />
  return (
    <Page title={t('editFaq')}>
      <DataState query={query} label={t('faq')}>
        {(faq) => <FaqForm key={`${faq.id}:${faq.version}`} faq={faq} />}
      </DataState>
    </Page>
  )
}

function FaqForm({ faq }: { faq: Faq | null }) {
  const { t } = useTranslation('knowledge')
  const session = useSession()
  const toast = useToast()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const id = useId()
  const readOnly = !session.can('agent')
  const [draft, setDraft] = useState({
    question: faq?.question ?? '',
    paraphrases: faq?.paraphrases.join('\n') ?? '',
    answer: faq?.answer ?? '',
    language: faq?.language ?? ('zh' as ContentLanguage),
    status: faq?.status ?? ('published' as ArticleStatus),
    tags: faq?.tags.join(', ') ?? '',
  })
  const save = useMutation({
    mutationFn: () => {
      const payload = {
        question: draft.question,
        answer: draft.answer,
        paraphrases: draft.paraphrases
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
        language: draft.language,
        status: draft.status,
        tags: splitTags(draft.tags),
      }
      return faq ? api.patch<Faq>(`/kb/faqs/${faq.id}`, payload) : api.post<Faq>('/kb/faqs', payload)
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['kb'] })
      toast.success(t('savedVersion', { version: saved.version }))
      if (!faq) navigate(`/knowledge/faqs/${saved.id}`, { replace: true })
    },
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    save.mutate()
  }
  const form = (
    <form className="kb__editor card" onSubmit={submit} aria-label={t('editFaq')} noValidate>
      <div className="form-fields">
        <Field
          id={`${id}-question`}
          label={t('field.question')}
          problem={issueFor(save.error, 'question')}
          wide
        >
          <input
            id={`${id}-question`}
            value={draft.question}
            readOnly={readOnly}
            onChange={(event) => setDraft({ ...draft, question: event.target.value })}
          />
        </Field>
        <Field
          id={`${id}-paraphrases`}
          label={t('field.paraphrases')}
          problem={issueFor(save.error, 'paraphrases')}
          wide
        >
          <textarea
            id={`${id}-paraphrases`}
            rows={4}
            value={draft.paraphrases}
            readOnly={readOnly}
            aria-describedby={`${id}-paraphrases-hint`}
            onChange={(event) => setDraft({ ...draft, paraphrases: event.target.value })}
          />
          <span id={`${id}-paraphrases-hint`} className="muted small">
            {t('paraphrasesHint')}
          </span>
        </Field>
        <Field id={`${id}-answer`} label={t('field.answer')} problem={issueFor(save.error, 'answer')} wide>
          <textarea
            id={`${id}-answer`}
            rows={6}
            value={draft.answer}
            readOnly={readOnly}
            onChange={(event) => setDraft({ ...draft, answer: event.target.value })}
          />
        </Field>
        <CommonFields
          id={id}
          draft={draft}
          error={save.error}
          readOnly={readOnly}
          onChange={(changes) => setDraft({ ...draft, ...changes })}
        />
      </div>
      {save.error && !issueFor(save.error, 'question') && !issueFor(save.error, 'answer') && (
        <p className="form-error" role="alert">
          {save.error.message}
        </p>
      )}
      <div className="form-buttons">
        <Link to="/knowledge?tab=faqs" className="button">
          {t('common:actions.back')}
        </Link>
        {!readOnly && (
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            {faq ? t('saveVersion') : t('create')}
          </button>
        )}
      </div>
    </form>
  )
  if (!faq) return <Page title={t('newFaq')}>{form}</Page>
  return (
    <>
      {form}
      <Versions kind="faqs" id={faq.id} />
    </>
  )
}
