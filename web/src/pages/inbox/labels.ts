import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api, type Page } from '../../lib/api'
import { BUILTIN_INTENT_LABELS } from '../../../../src/nlp/corpus/labels'

/** The built-in intents (CONTRACTS), from the server's own list; a promoted model of the user's own may add others. */
export const BUILTIN_INTENTS = BUILTIN_INTENT_LABELS

interface ModelVersion {
  readonly task: string
  readonly status: string
  readonly labels: string[]
}

/** Intent and sentiment labels of the active models, with their names in the console's language. */
export function useLabels() {
  const { t } = useTranslation('inbox')
  const models = useQuery({
    queryKey: ['nlu-models'],
    queryFn: () => api.get<Page<ModelVersion>>('/nlu/models'),
    staleTime: 10 * 60_000,
  })
  const active = (task: string) =>
    models.data?.items.find((model) => model.task === task && model.status === 'active')?.labels ?? []
  const intents = active('intent').length > 0 ? [...active('intent')].sort() : [...BUILTIN_INTENTS]
  const sentiments =
    active('sentiment').length > 0 ? active('sentiment') : ['positive', 'neutral', 'negative']
  return {
    intents,
    sentiments,
    intentName: (label: string) => t(`intent.${label}`, { defaultValue: label }),
    sentimentName: (label: string) => t(`sentiment.${label}`, { defaultValue: label }),
  }
}
