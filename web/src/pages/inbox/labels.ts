import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api, type Page } from '../../lib/api'

/** The built-in intents (CONTRACTS); a promoted model of the user's own may add others. */
export const BUILTIN_INTENTS = [
  'order_status',
  'shipping_delay',
  'refund_request',
  'return_exchange',
  'cancel_order',
  'payment_issue',
  'invoice_request',
  'product_inquiry',
  'price_promotion',
  'after_sales_warranty',
  'complaint',
  'praise',
  'account_login',
  'change_address',
  'human_agent',
  'greeting',
  'thanks_goodbye',
  'out_of_scope',
] as const

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
