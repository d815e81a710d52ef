import { useQuery } from '@tanstack/react-query'
import { lazy, Suspense, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router-dom'
import { DataState } from '../../components/DataState'
import { Page } from '../../components/Page'
import { api } from '../../lib/api'
import { formatDate, formatNumber, formatPercent } from '../../lib/format'
import { ModelStatusBadge } from './shared'
import type { EvaluationReport, ModelReport } from './types'

// recharts is loaded only when a report is opened
const ReliabilityChart = lazy(() => import('./ReliabilityChart'))

/** `/models/:task/:version`: the evaluation report of one version on its task's frozen test set. */
export function ReportPage() {
  const { t } = useTranslation('models')
  const { task = '', version = '' } = useParams()
  const known = (task === 'intent' || task === 'sentiment') && /^[1-9]\d*$/.test(version)
  const query = useQuery({
    queryKey: ['nlu-model-report', task, version],
    queryFn: () => api.get<ModelReport>(`/nlu/models/${task}/${version}/report`),
    enabled: known,
    staleTime: Infinity,
  })
  const title = known ? t('reportTitle', { task: t(`task.${task}`), version }) : t('reportUnknown')
  return (
    <Page
      title={title}
      actions={
        <Link to="/models" className="button">
          {t('backToModels')}
        </Link>
      }
    >
      {known ? (
        <DataState query={query} label={t('report')}>
          {(data) => <ReportView data={data} />}
        </DataState>
      ) : (
        <p className="muted">{t('reportUnknownText')}</p>
      )}
    </Page>
  )
}

function ReportView({ data }: { data: ModelReport }) {
  const { t } = useTranslation('models')
  const report = data.report
  return (
    <div className="models__report">
      <p className="models__report-meta">
        <ModelStatusBadge status={data.status} />{' '}
        <span className="small">
          {t('reportDataset', {
            dataset: data.dataset,
            n: formatNumber(report.n),
            when: formatDate(data.createdAt),
          })}
        </span>
      </p>
      <dl className="models__kpis" data-testid="report-kpis">
        <Kpi label={t('column.accuracy')} value={formatPercent(report.accuracy, 1)} />
        <Kpi label={t('column.macroF1')} value={formatPercent(report.macro_f1, 1)} />
        <Kpi label={t('weightedF1')} value={formatPercent(report.weighted_f1, 1)} />
        <Kpi label={t('column.ece')} value={formatPercent(report.ece, 1)} />
        {report.oos && <Kpi label={t('oosRecall')} value={formatPercent(report.oos.oos_recall, 1)} />}
      </dl>
      <div className="models__report-grid">
        <section className="card" aria-labelledby="report-labels">
          <h2 id="report-labels">{t('perLabel.title')}</h2>
          <PerLabelTable report={report} />
        </section>
        <section className="card" aria-labelledby="report-reliability">
          <h2 id="report-reliability">{t('reliability.title')}</h2>
          <p className="muted small">{t('reliability.intro')}</p>
          <Suspense
            fallback={
              <p className="muted" role="status">
                {t('common:state.loading')}
              </p>
            }
          >
            <ReliabilityChart bins={report.reliability} />
          </Suspense>
        </section>
      </div>
      <section className="card" aria-labelledby="report-confusion">
        <h2 id="report-confusion">{t('confusion.title')}</h2>
        <p className="muted small">{t('confusion.intro')}</p>
        <ConfusionHeatmap matrix={report.confusion_matrix} />
      </section>
      <section className="card" aria-labelledby="report-errors">
        <h2 id="report-errors">{t('errors.title')}</h2>
        <WorstErrors report={report} />
      </section>
    </div>
  )
}

function Kpi({ label, value }: { label: string; value: string }) {
  return (
    <div className="models__kpi">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  )
}

type SortKey = 'label' | 'precision' | 'recall' | 'f1' | 'support'

function PerLabelTable({ report }: { report: EvaluationReport }) {
  const { t } = useTranslation('models')
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'f1', descending: false })
  const rows = Object.entries(report.per_label).map(([label, metrics]) => ({ label, ...metrics }))
  rows.sort((a, b) => {
    const order =
      sort.key === 'label'
        ? a.label.localeCompare(b.label)
        : (a[sort.key] as number) - (b[sort.key] as number)
    return sort.descending ? -order : order
  })
  const header = (key: SortKey, label: string) => (
    <th
      scope="col"
      className={key === 'label' ? undefined : 'num'}
      aria-sort={sort.key === key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
    >
      <button
        type="button"
        className="models__sort"
        onClick={() => setSort({ key, descending: sort.key === key ? !sort.descending : key !== 'label' })}
      >
        {label}
      </button>
    </th>
  )
  return (
    <div className="models__table-scroll">
      <table className="table" data-testid="per-label-table">
        <thead>
          <tr>
            {header('label', t('perLabel.label'))}
            {header('precision', t('perLabel.precision'))}
            {header('recall', t('perLabel.recall'))}
            {header('f1', t('perLabel.f1'))}
            {header('support', t('perLabel.support'))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">
                <code>{row.label}</code>
              </th>
              <td className="num">{formatPercent(row.precision, 1)}</td>
              <td className="num">{formatPercent(row.recall, 1)}</td>
              <td className="num">{formatPercent(row.f1, 1)}</td>
              <td className="num">{formatNumber(row.support)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/**
 * The confusion matrix as a table whose cells are shaded by the share of the true label's examples (row
 * normalised): the diagonal in green, confusions in red. Counts are the cell text, so it reads without colour.
 */
function ConfusionHeatmap({ matrix }: { matrix: EvaluationReport['confusion_matrix'] }) {
  const { t } = useTranslation('models')
  return (
    <div className="models__heatmap-scroll">
      <table className="models__heatmap" data-testid="confusion-heatmap">
        <caption className="visually-hidden">{t('confusion.caption')}</caption>
        <thead>
          <tr>
            <th scope="col" className="models__heatmap-corner">
              {t('confusion.corner')}
            </th>
            {matrix.labels.map((label) => (
              <th key={label} scope="col" className="models__heatmap-col">
                <span>{label}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.matrix.map((row, i) => {
            const total = row.reduce((sum, value) => sum + value, 0)
            return (
              <tr key={matrix.labels[i]}>
                <th scope="row">{matrix.labels[i]}</th>
                {row.map((count, j) => {
                  const share = total > 0 ? count / total : 0
                  const hue = i === j ? '30, 127, 79' : '192, 50, 43'
                  return (
                    <td
                      key={matrix.labels[j]}
                      className={`models__cell ${share > 0.55 ? 'is-dark' : ''}`}
                      style={{
                        backgroundColor: count > 0 ? `rgba(${hue}, ${0.08 + share * 0.85})` : undefined,
                      }}
                      title={t('confusion.cell', {
                        count,
                        gold: matrix.labels[i],
                        predicted: matrix.labels[j],
                        share: formatPercent(share),
                      })}
                    >
                      {count > 0 ? count : ''}
                    </td>
                  )
                })}
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

function WorstErrors({ report }: { report: EvaluationReport }) {
  const { t } = useTranslation('models')
  if (report.worst_errors.length === 0) return <p className="muted">{t('errors.none')}</p>
  return (
    <div className="models__table-scroll">
      <table className="table" data-testid="worst-errors">
        <thead>
          <tr>
            <th scope="col">{t('errors.text')}</th>
            <th scope="col">{t('errors.gold')}</th>
            <th scope="col">{t('errors.predicted')}</th>
            <th scope="col" className="num">
              {t('errors.confidence')}
            </th>
          </tr>
        </thead>
        <tbody>
          {report.worst_errors.map((error, index) => (
            <tr key={index}>
              <td className="models__error-text">{error.text}</td>
              <td>
                <code>{error.label}</code>
              </td>
              <td>
                <code>{error.predicted}</code>
              </td>
              <td className="num">{formatPercent(error.confidence, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
