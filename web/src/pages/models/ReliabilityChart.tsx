import { useTranslation } from 'react-i18next'
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import { formatNumber, formatPercent } from '../../lib/format'
import type { ReliabilityBin } from './types'

const axis = { fontSize: 12, fill: '#5f6b7f' }

/**
 * The reliability (calibration) chart: per confidence bin, the accuracy of the predictions in it (bars) next
 * to their mean confidence (the line) — bars on the line mean a calibrated model. A table of the same numbers
 * follows for screen readers.
 */
export default function ReliabilityChart({ bins }: { bins: readonly ReliabilityBin[] }) {
  const { t } = useTranslation('models')
  const rows = bins.map((bin) => ({
    range: `${formatPercent(bin.lower)}–${formatPercent(bin.upper)}`,
    accuracy: bin.count > 0 ? bin.accuracy : null,
    ideal: (bin.lower + bin.upper) / 2,
    confidence: bin.count > 0 ? bin.confidence : null,
    count: bin.count,
  }))
  return (
    <figure className="models__chart" aria-describedby="reliability-description">
      <p id="reliability-description" className="visually-hidden">
        {t('reliability.description')}
      </p>
      <div data-testid="reliability-chart">
        <ResponsiveContainer width="100%" height={260}>
          <ComposedChart data={rows} margin={{ top: 8, right: 8, left: -12, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="range" tick={axis} interval="preserveStartEnd" minTickGap={8} />
            <YAxis domain={[0, 1]} tickFormatter={(value: number) => formatPercent(value)} tick={axis} />
            <Tooltip
              formatter={(value, name) => [
                value === null || value === undefined ? '—' : formatPercent(Number(value), 1),
                t(`reliability.${String(name)}`),
              ]}
            />
            <Legend formatter={(name: string) => t(`reliability.${name}`)} />
            <Bar dataKey="accuracy" fill="#2456d6" isAnimationActive={false} />
            <Line
              dataKey="ideal"
              stroke="#8a94a6"
              strokeDasharray="4 4"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              dataKey="confidence"
              stroke="#6b3fd4"
              connectNulls
              dot={{ r: 3 }}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <div className="visually-hidden">
        <table>
          <caption>{t('reliability.tableCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reliability.bin')}</th>
              <th scope="col">{t('reliability.accuracy')}</th>
              <th scope="col">{t('reliability.confidence')}</th>
              <th scope="col">{t('reliability.count')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.range}>
                <th scope="row">{row.range}</th>
                <td>{row.accuracy === null ? '—' : formatPercent(row.accuracy, 1)}</td>
                <td>{row.confidence === null ? '—' : formatPercent(row.confidence, 1)}</td>
                <td>{formatNumber(row.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  )
}
