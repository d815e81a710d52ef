import { useTranslation } from 'react-i18next'
import { Badge } from '../../components/Badge'
import { ConfidenceBar } from '../../components/ConfidenceBar'
import { formatDate, formatNumber } from '../../lib/format'
import { useLabels } from './labels'
import type { ConversationDecision } from './types'

/** "Why did the agent do this?": perception and its evidence, retrieval, rules, thresholds, versions, latency. */
export function DecisionPanel({
  decision,
  onClose,
}: {
  decision: ConversationDecision
  onClose: () => void
}) {
  const { t } = useTranslation('inbox')
  const labels = useLabels()
  const record = decision.record
  const perception = record.perception
  const outcome = record.decision
  const citations = outcome?.citations ?? []
  const hits = record.retrieval?.hits ?? []
  const thresholds = Object.entries(record.thresholds ?? {}).filter(
    ([, value]) => typeof value === 'number' || typeof value === 'string',
  )
  const models = Object.entries(record.models ?? {})
  const latency = record.latencyMs ?? {}
  const number = (value: number) => formatNumber(Math.round(value * 1000) / 1000)
  return (
    <aside className="decision card" aria-labelledby="decision-title" data-testid="decision-panel">
      <header className="decision__header">
        <h3 id="decision-title">{t('decision.title')}</h3>
        <button
          type="button"
          className="icon-button"
          onClick={onClose}
          aria-label={t('common:actions.close')}
        >
          ×
        </button>
      </header>

      <section>
        <h4>{t('decision.outcome')}</h4>
        <p>
          <Badge
            tone={
              decision.action === 'hand_off' ? 'warning' : decision.action === 'answer' ? 'success' : 'info'
            }
          >
            {t(`action.${decision.action}`, { defaultValue: decision.action })}
          </Badge>{' '}
          <ConfidenceBar
            value={outcome?.confidence ?? decision.confidence}
            label={t('decision.confidence')}
          />
        </p>
        {outcome?.explanation && <p className="decision__explanation">{outcome.explanation}</p>}
        {outcome?.handOffReason && (
          <p className="small">
            {t('decision.handOffReason')}:{' '}
            <strong>{t(`handOff.${outcome.handOffReason}`, { defaultValue: outcome.handOffReason })}</strong>
          </p>
        )}
      </section>

      {perception && (
        <section>
          <h4>{t('decision.perceived')}</h4>
          <dl className="facts">
            {perception.language && (
              <>
                <dt>{t('decision.language')}</dt>
                <dd>{perception.language}</dd>
              </>
            )}
            {perception.intent && (
              <>
                <dt>{t('intentLabel')}</dt>
                <dd>
                  {labels.intentName(perception.intent.label)}{' '}
                  <ConfidenceBar value={perception.intent.confidence} label={t('intentConfidence')} />
                </dd>
              </>
            )}
            {perception.sentiment && (
              <>
                <dt>{t('sentimentLabel')}</dt>
                <dd>
                  {labels.sentimentName(perception.sentiment.label)}{' '}
                  <ConfidenceBar value={perception.sentiment.confidence} label={t('sentimentConfidence')} />
                </dd>
              </>
            )}
          </dl>
          {(perception.intent?.evidence ?? []).length > 0 && (
            <>
              <h5>{t('decision.evidence')}</h5>
              <ul className="evidence" aria-label={t('decision.evidence')}>
                {perception.intent!.evidence!.map((item) => (
                  <li key={item.feature}>
                    <span className="evidence__word">{item.feature}</span>
                    <span className="muted small">
                      {item.weight >= 0 ? '+' : ''}
                      {number(item.weight)}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}

      <section>
        <h4>{t('decision.knowledge')}</h4>
        {citations.length === 0 && hits.length === 0 ? (
          <p className="muted">{t('decision.noKnowledge')}</p>
        ) : (
          <ol className="passages">
            {citations.map((citation) => (
              <li key={`c-${citation.articleId}`}>
                <div className="passages__head">
                  <strong>{citation.title}</strong>
                  <span className="muted small">
                    {t('decision.score', { score: number(citation.score) })}
                  </span>
                  <Badge tone="success">{t('decision.cited')}</Badge>
                </div>
                <p className="passages__text">{citation.passage}</p>
              </li>
            ))}
            {hits
              .filter((hit) => !citations.some((c) => c.articleId === hit.articleId))
              .slice(0, 5)
              .map((hit) => (
                <li key={`h-${hit.articleId}`}>
                  <div className="passages__head">
                    <strong>{hit.title}</strong>
                    <span className="muted small">{t('decision.score', { score: number(hit.score) })}</span>
                    <ConfidenceBar value={hit.strength} label={t('decision.strength')} />
                  </div>
                  {(hit.matchedTerms ?? []).length > 0 && (
                    <p className="muted small">
                      {t('decision.matched', { terms: hit.matchedTerms!.join(', ') })}
                    </p>
                  )}
                </li>
              ))}
          </ol>
        )}
      </section>

      <section>
        <h4>{t('decision.rules')}</h4>
        {(record.rulesFired ?? []).length === 0 ? (
          <p className="muted">{t('decision.noRules')}</p>
        ) : (
          <ul className="chips">
            {record.rulesFired!.map((rule) => (
              <li key={rule}>
                <code>{rule}</code>
              </li>
            ))}
          </ul>
        )}
      </section>

      {thresholds.length > 0 && (
        <section>
          <h4>{t('decision.thresholds')}</h4>
          <dl className="facts">
            {thresholds.map(([key, value]) => (
              <div key={key} className="facts__row">
                <dt>{t(`threshold.${key}`, { defaultValue: key })}</dt>
                <dd>{typeof value === 'number' ? number(value) : String(value)}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}

      <section>
        <h4>{t('decision.versions')}</h4>
        <dl className="facts">
          {models.map(([task, version]) => (
            <div key={task} className="facts__row">
              <dt>{t('decision.model', { task })}</dt>
              <dd>{version === null ? '—' : `v${version}`}</dd>
            </div>
          ))}
          {record.retrieval?.indexVersion !== undefined && (
            <div className="facts__row">
              <dt>{t('decision.index')}</dt>
              <dd>v{record.retrieval.indexVersion}</dd>
            </div>
          )}
          {record.policyVersion !== undefined && (
            <div className="facts__row">
              <dt>{t('decision.policy')}</dt>
              <dd>
                {record.policyVersion === null ? t('decision.builtinPolicy') : `v${record.policyVersion}`}
              </dd>
            </div>
          )}
          <div className="facts__row">
            <dt>{t('decision.llm')}</dt>
            <dd>
              {record.llm?.used
                ? `${record.llm.provider ?? ''} ${record.llm.model ?? ''}`.trim()
                : record.llm?.fallbackReason
                  ? t('decision.llmFallback', { reason: record.llm.fallbackReason })
                  : t('decision.noLlm')}
            </dd>
          </div>
        </dl>
      </section>

      {Object.keys(latency).length > 0 && (
        <section>
          <h4>{t('decision.latency')}</h4>
          <dl className="facts">
            {Object.entries(latency).map(([step, ms]) => (
              <div key={step} className="facts__row">
                <dt>{t(`step.${step}`, { defaultValue: step })}</dt>
                <dd>{t('decision.ms', { ms: number(ms) })}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
      <p className="muted small">
        {t('decision.decidedAt', { date: formatDate(record.decidedAt ?? decision.createdAt) })}
      </p>
    </aside>
  )
}
