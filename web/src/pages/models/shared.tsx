import { useTranslation } from 'react-i18next'
import { Badge, type BadgeTone } from '../../components/Badge'

export const MODELS_KEY = ['nlu-models'] as const

const STATUS_TONES: Record<string, BadgeTone> = { active: 'success', candidate: 'info', retired: 'neutral' }

export function ModelStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation('models')
  return (
    <Badge tone={STATUS_TONES[status] ?? 'neutral'}>{t(`status.${status}`, { defaultValue: status })}</Badge>
  )
}
