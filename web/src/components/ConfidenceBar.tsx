import { useTranslation } from 'react-i18next'
import { formatPercent } from '../lib/format'

/**
 * A confidence in [0, 1] as a small bar plus the percentage; colour by band (low < 0.5 ≤ medium < 0.8 ≤
 * high), and a screen-reader label naming what it measures.
 */
export function ConfidenceBar({ value, label }: { value: number | null | undefined; label?: string }) {
  const { t } = useTranslation()
  if (value === null || value === undefined || Number.isNaN(value)) return <span className="muted">—</span>
  const clamped = Math.max(0, Math.min(1, value))
  const band = clamped >= 0.8 ? 'high' : clamped >= 0.5 ? 'medium' : 'low'
  const text = formatPercent(clamped)
  return (
    <span className={`confidence confidence--${band}`}>
      <span
        className="confidence__track"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(clamped * 100)}
        aria-label={t('confidence.label', { what: label ?? t('confidence.default'), value: text })}
      >
        <span className="confidence__fill" style={{ width: `${clamped * 100}%` }} />
      </span>
      <span className="confidence__value">{text}</span>
    </span>
  )
}
