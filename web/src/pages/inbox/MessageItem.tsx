import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Badge } from '../../components/Badge'
import { ConfidenceBar } from '../../components/ConfidenceBar'
import { Modal } from '../../components/Modal'
import { useToast } from '../../components/Toast'
import { api } from '../../lib/api'
import { formatDate } from '../../lib/format'
import { useLabels } from './labels'
import type { ConversationDecision, Correction, Message } from './types'

interface MessageItemProps {
  readonly message: Message
  readonly decision: ConversationDecision | undefined
  readonly corrections: readonly Correction[]
  readonly canAct: boolean
  readonly explained: boolean
  readonly onExplain: () => void
}

/** One message of the thread; an inbound one shows what the agent perceived, with confidences. */
export function MessageItem({
  message,
  decision,
  corrections,
  canAct,
  explained,
  onExplain,
}: MessageItemProps) {
  const { t } = useTranslation('inbox')
  const labels = useLabels()
  const [correcting, setCorrecting] = useState(false)
  const perception = decision?.record.perception
  const inbound = message.direction === 'inbound'
  const corrected = (task: 'intent' | 'sentiment') => corrections.filter((c) => c.task === task).at(-1)
  return (
    <li
      className={`message message--${message.direction} message--${message.authorKind}`}
      data-message-id={message.id}
    >
      <div className="message__meta">
        <span className="message__author">{t(`author.${message.authorKind}`)}</span>
        <time dateTime={message.sentAt} className="muted small">
          {formatDate(message.sentAt)}
        </time>
        {message.deliveryStatus && message.deliveryStatus !== 'sent' && (
          <Badge tone={message.deliveryStatus === 'failed' ? 'danger' : 'neutral'}>
            {t(`delivery.${message.deliveryStatus}`)}
          </Badge>
        )}
      </div>
      <div className="message__text">{message.text}</div>
      {inbound && (perception || corrections.length > 0) && (
        <div className="perception" aria-label={t('perceived')}>
          {perception?.intent && (
            <span className="perception__item">
              <span className="muted small">{t('intentLabel')}</span>
              <Badge tone="info">{labels.intentName(perception.intent.label)}</Badge>
              <ConfidenceBar value={perception.intent.confidence} label={t('intentConfidence')} />
            </span>
          )}
          {perception?.sentiment && (
            <span className="perception__item">
              <span className="muted small">{t('sentimentLabel')}</span>
              <Badge
                tone={
                  perception.sentiment.label === 'negative'
                    ? 'danger'
                    : perception.sentiment.label === 'positive'
                      ? 'success'
                      : 'neutral'
                }
              >
                {labels.sentimentName(perception.sentiment.label)}
              </Badge>
              <ConfidenceBar value={perception.sentiment.confidence} label={t('sentimentConfidence')} />
            </span>
          )}
          {(perception?.entities ?? []).length > 0 && (
            <span className="perception__item perception__entities">
              <span className="muted small">{t('entities')}</span>
              {perception!.entities!.map((entity, index) => (
                <Badge
                  key={`${entity.type}-${entity.start}-${index}`}
                  title={
                    entity.confidence === undefined
                      ? undefined
                      : t('confidenceValue', { value: Math.round(entity.confidence * 100) })
                  }
                >
                  {t(`entity.${entity.type}`, { defaultValue: entity.type })}: {entity.value}
                  {entity.confidence !== undefined && ` · ${Math.round(entity.confidence * 100)}%`}
                </Badge>
              ))}
            </span>
          )}
          {(['intent', 'sentiment'] as const).map((task) => {
            const correction = corrected(task)
            return correction ? (
              <span
                key={task}
                className="perception__item perception__corrected"
                data-testid={`corrected-${task}`}
              >
                {t('correctedTo', {
                  what: t(`${task}Label`),
                  label:
                    task === 'intent'
                      ? labels.intentName(correction.label)
                      : labels.sentimentName(correction.label),
                })}
              </span>
            ) : null
          })}
        </div>
      )}
      {(decision || (inbound && canAct)) && (
        <div className="message__actions">
          {decision && (
            <button
              type="button"
              className="button button--ghost button--small"
              aria-expanded={explained}
              onClick={onExplain}
            >
              {t('why')}
            </button>
          )}
          {inbound && canAct && (
            <button
              type="button"
              className="button button--ghost button--small"
              onClick={() => setCorrecting(true)}
            >
              {t('correct')}
            </button>
          )}
        </div>
      )}
      {correcting && (
        <CorrectionDialog
          message={message}
          intent={corrected('intent')?.label ?? perception?.intent?.label ?? null}
          sentiment={corrected('sentiment')?.label ?? perception?.sentiment?.label ?? null}
          onClose={() => setCorrecting(false)}
        />
      )}
    </li>
  )
}

function CorrectionDialog(props: {
  message: Message
  intent: string | null
  sentiment: string | null
  onClose: () => void
}) {
  const { t } = useTranslation('inbox')
  const labels = useLabels()
  const toast = useToast()
  const queryClient = useQueryClient()
  const [intent, setIntent] = useState(props.intent ?? '')
  const [sentiment, setSentiment] = useState(props.sentiment ?? '')
  const save = useMutation({
    mutationFn: async () => {
      if (intent && intent !== props.intent)
        await api.post(`/messages/${props.message.id}/labels`, { task: 'intent', label: intent })
      if (sentiment && sentiment !== props.sentiment)
        await api.post(`/messages/${props.message.id}/labels`, { task: 'sentiment', label: sentiment })
    },
    onSuccess: async () => {
      toast.success(t('correctionSaved'))
      await queryClient.invalidateQueries({
        queryKey: ['messages', props.message.conversationId, 'decisions'],
      })
      props.onClose()
    },
    onError: (error) => toast.error(error),
  })
  return (
    <Modal
      open
      title={t('correctTitle')}
      onClose={props.onClose}
      footer={
        <>
          <button type="button" className="button" onClick={props.onClose}>
            {t('common:actions.cancel')}
          </button>
          <button
            type="button"
            className="button button--primary"
            disabled={save.isPending}
            onClick={() => save.mutate()}
          >
            {t('saveCorrection')}
          </button>
        </>
      }
    >
      <p className="muted">{t('correctHelp')}</p>
      <blockquote className="quote">{props.message.text}</blockquote>
      <div className="form-grid">
        <label htmlFor="correct-intent">{t('intentLabel')}</label>
        <select id="correct-intent" value={intent} onChange={(event) => setIntent(event.target.value)}>
          <option value="" disabled>
            {t('choose')}
          </option>
          {labels.intents.map((label) => (
            <option key={label} value={label}>
              {labels.intentName(label)}
            </option>
          ))}
        </select>
        <label htmlFor="correct-sentiment">{t('sentimentLabel')}</label>
        <select
          id="correct-sentiment"
          value={sentiment}
          onChange={(event) => setSentiment(event.target.value)}
        >
          <option value="" disabled>
            {t('choose')}
          </option>
          {labels.sentiments.map((label) => (
            <option key={label} value={label}>
              {labels.sentimentName(label)}
            </option>
          ))}
        </select>
      </div>
    </Modal>
  )
}
