import { useMutation } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router-dom'
import { Badge, type BadgeTone } from '../../components/Badge'
import { ConfidenceBar } from '../../components/ConfidenceBar'
import { api } from '../../lib/api'
import { formatNumber } from '../../lib/format'
import type { AgentResponse, SearchResult } from './types'

const ACTION_TONES: Record<string, BadgeTone> = {
  answer: 'success',
  answer_with_approval: 'warning',
  ask_clarifying: 'info',
  hand_off: 'human',
  no_reply: 'neutral',
}

const score = (value: number) => formatNumber(Math.round(value * 100) / 100)

/**
 * "Try a question": what retrieval finds (passages with scores, `GET /kb/search`) and what the agent would
 * answer with its decision (`POST /agent/respond`, no side effects) — side by side with the knowledge base.
 */
export function TryQuestion() {
  const { t } = useTranslation('knowledge')
  const id = useId()
  const [text, setText] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const trial = useMutation({
    mutationFn: async (question: string) => {
      const [search, agent] = await Promise.all([
        api.get<SearchResult>('/kb/search', { q: question, limit: 5 }),
        api.post<AgentResponse>('/agent/respond', { text: question, channel: 'api' }),
      ])
      return { search, agent }
    },
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const question = text.trim()
    if (!question) {
      setProblem(t('try.empty'))
      return
    }
    setProblem(null)
    trial.mutate(question)
  }
  return (
    <section className="card kb__try" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('try.title')}</h2>
      <p className="muted small">{t('try.intro')}</p>
      <form onSubmit={submit} noValidate>
        <div className="form-field">
          <label htmlFor={`${id}-question`}>{t('try.question')}</label>
          <textarea
            id={`${id}-question`}
            rows={3}
            value={text}
            placeholder={t('try.placeholder')}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-problem` : undefined}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) submit(event)
            }}
          />
        </div>
        {problem && (
          <p id={`${id}-problem`} className="form-error" role="alert">
            {problem}
          </p>
        )}
        <div className="form-buttons form-buttons--start">
          <button type="submit" className="button button--primary" disabled={trial.isPending}>
            {trial.isPending ? t('try.asking') : t('try.ask')}
          </button>
        </div>
      </form>
      <div aria-live="polite" aria-busy={trial.isPending}>
        {trial.error && (
          <p className="form-error" role="alert">
            {trial.error.message}
          </p>
        )}
        {trial.data && <TrialResult search={trial.data.search} agent={trial.data.agent} />}
      </div>
    </section>
  )
}

function TrialResult({ search, agent }: { search: SearchResult; agent: AgentResponse }) {
  const { t } = useTranslation('knowledge')
  const decision = agent.decision
  const perception = agent.record?.perception
  return (
    <div className="kb__trial">
      <section className="kb__decision" data-testid="agent-decision" aria-labelledby="kb-decision-title">
        <h3 id="kb-decision-title">{t('try.decision')}</h3>
        <p className="kb__decision-head">
          <Badge tone={ACTION_TONES[decision.action] ?? 'neutral'}>
            {t(`action.${decision.action}`, { defaultValue: decision.action })}
          </Badge>
          {perception?.intent && (
            <span className="muted small">{t('try.intent', { label: perception.intent.label })}</span>
          )}
        </p>
        <ConfidenceBar value={decision.confidence} label={t('try.confidence')} />
        {decision.reply ? (
          <blockquote className="kb__reply" data-testid="agent-reply">
            {decision.reply}
          </blockquote>
        ) : (
          <p className="muted">{t('try.noReply')}</p>
        )}
        {decision.handOffReason && (
          <p className="small">
            <strong>{t('try.handOffReason')}</strong> {decision.handOffReason}
          </p>
        )}
        <h4>{t('try.citations')}</h4>
        {decision.citations.length === 0 ? (
          <p className="muted small">{t('try.noCitations')}</p>
        ) : (
          <ol className="kb__citations" data-testid="agent-citations">
            {decision.citations.map((citation) => (
              <li key={citation.articleId}>
                <Link to={`/knowledge/articles/${citation.articleId}`}>{citation.title}</Link>{' '}
                <span className="muted small">{t('try.score', { score: score(citation.score) })}</span>
              </li>
            ))}
          </ol>
        )}
        <h4>{t('try.rulesFired')}</h4>
        {decision.rulesFired.length === 0 ? (
          <p className="muted small">{t('try.noRules')}</p>
        ) : (
          <ul className="kb__rules">
            {decision.rulesFired.map((rule) => (
              <li key={rule}>
                <code>{rule}</code>
              </li>
            ))}
          </ul>
        )}
        {decision.explanation && (
          <details className="kb__explanation">
            <summary>{t('try.explanation')}</summary>
            <p className="small">{decision.explanation}</p>
          </details>
        )}
      </section>
      <section aria-labelledby="kb-passages-title" data-testid="retrieval-hits">
        <h3 id="kb-passages-title">{t('try.passages')}</h3>
        {search.items.length === 0 ? (
          <p className="muted small">{t('try.noPassages')}</p>
        ) : (
          <ol className="kb__passages">
            {search.items.map((hit) => (
              <li key={`${hit.articleId}:${hit.heading ?? ''}`} className="kb__passage">
                <div className="kb__passage-head">
                  <Link to={`/knowledge/${hit.kind === 'faq' ? 'faqs' : 'articles'}/${hit.articleId}`}>
                    {hit.title}
                  </Link>
                  <span className="muted small">
                    {t('try.score', { score: score(hit.score) })}
                    {hit.crossLingual && <> · {t('try.crossLingual')}</>}
                  </span>
                </div>
                <ConfidenceBar value={Math.max(0, Math.min(1, hit.strength))} label={t('try.strength')} />
                <p className="small kb__passage-text">{hit.passage}</p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  )
}
