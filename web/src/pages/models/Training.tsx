import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router-dom'
import { Badge, type BadgeTone } from '../../components/Badge'
import { useToast } from '../../components/Toast'
import { api, type Page as ApiPage } from '../../lib/api'
import { formatDate, formatPercent } from '../../lib/format'
import { useSession } from '../../lib/session'
import { MODELS_KEY } from './shared'
import type { NluTask, TrainingJob } from './types'

const JOB_TONES: Record<string, BadgeTone> = {
  queued: 'neutral',
  running: 'info',
  succeeded: 'success',
  failed: 'danger',
}
const isActive = (job: TrainingJob | undefined) =>
  job !== undefined && (job.status === 'queued' || job.status === 'running')

/**
 * The latest training job of a task (`GET /nlu/training-jobs?task=…&limit=1`), watched every second while it
 * runs; admins start a new one (`POST /nlu/training-jobs`). When a job ends the model list refreshes.
 */
export function TrainingPanel({ task }: { task: NluTask }) {
  const { t } = useTranslation('models')
  const session = useSession()
  const toast = useToast()
  const queryClient = useQueryClient()
  const latest = useQuery({
    queryKey: ['training-jobs', task],
    queryFn: async () =>
      (await api.get<ApiPage<TrainingJob>>('/nlu/training-jobs', { task, limit: 1 })).items[0] ?? null,
    refetchInterval: (query) => (isActive(query.state.data ?? undefined) ? 1_000 : false),
  })
  const job = latest.data ?? undefined
  const start = useMutation({
    mutationFn: () => api.post<TrainingJob>('/nlu/training-jobs', { task }),
    onSuccess: (created) => queryClient.setQueryData(['training-jobs', task], created),
    onError: (error) => toast.error(error),
  })
  // when a watched job ends: tell the person and refresh the versions
  const watched = useRef<string | null>(null)
  useEffect(() => {
    if (!job) return
    if (isActive(job)) watched.current = job.id
    else if (watched.current === job.id) {
      watched.current = null
      void queryClient.invalidateQueries({ queryKey: MODELS_KEY })
      if (job.status === 'succeeded') {
        toast.success(
          job.promoted
            ? t('training.promoted', { version: job.modelVersion })
            : t('training.candidate', { version: job.modelVersion }),
        )
      }
    }
  }, [job, queryClient, toast, t])

  const headingId = `training-${task}`
  return (
    <section className="models__training" aria-labelledby={headingId} data-testid={`training-${task}`}>
      <div className="models__training-head">
        <h3 id={headingId}>{t('training.title')}</h3>
        {session.can('admin') && (
          <button
            type="button"
            className="button button--primary button--small"
            disabled={start.isPending || isActive(job)}
            onClick={() => start.mutate()}
          >
            {isActive(job) ? t('training.inProgress') : t('training.start')}
          </button>
        )}
      </div>
      {latest.isPending ? (
        <p className="muted small" role="status">
          {t('common:state.loading')}
        </p>
      ) : latest.error ? (
        <p className="form-error" role="alert">
          {latest.error.message}
        </p>
      ) : !job ? (
        <p className="muted small">{t('training.none')}</p>
      ) : (
        <div className="models__job" aria-live="polite">
          <p className="models__job-head">
            <Badge tone={JOB_TONES[job.status] ?? 'neutral'}>{t(`training.status.${job.status}`)}</Badge>
            <span className="small">{t(`training.phase.${job.phase}`, { defaultValue: job.phase })}</span>
            <span className="muted small">{formatDate(job.createdAt)}</span>
          </p>
          {job.status !== 'failed' && (
            <div className="models__progress">
              <div
                className="models__progress-track"
                role="progressbar"
                aria-label={t('training.progress')}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(job.progress * 100)}
              >
                <div className="models__progress-fill" style={{ width: `${job.progress * 100}%` }} />
              </div>
              <span className="small">{formatPercent(job.progress)}</span>
            </div>
          )}
          {job.status === 'failed' ? (
            <p className="form-error">{job.error ?? job.message}</p>
          ) : (
            <p className="muted small models__job-message" data-testid="training-message">
              {job.message}
            </p>
          )}
          {job.status === 'succeeded' && job.modelVersion !== null && (
            <p className="small" data-testid="training-result">
              {job.promoted
                ? t('training.promoted', { version: job.modelVersion })
                : t('training.candidate', { version: job.modelVersion })}{' '}
              <Link to={`${task}/${job.modelVersion}`}>{t('training.openReport')}</Link>
            </p>
          )}
        </div>
      )}
    </section>
  )
}
