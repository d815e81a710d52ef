import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Badge } from '../../components/Badge'
import { DataState } from '../../components/DataState'
import { api } from '../../lib/api'
import { SettingsCard } from './shared'
import type { LlmSettings } from './types'

/**
 * The optional LLM provider, read-only: it is configured by the environment (see
 * docs/decisions/2026-11-25-console-settings.md), and the key is never sent to the browser.
 */
export function LlmSection() {
  const { t } = useTranslation('settings')
  const query = useQuery({ queryKey: ['llm-settings'], queryFn: () => api.get<LlmSettings>('/settings/llm') })
  return (
    <SettingsCard title={t('llm.title')} note={t('llm.note')}>
      <DataState query={query} label={t('llm.title')}>
        {(llm) => (
          <>
            <dl className="settings__facts">
              <div>
                <dt>{t('llm.status')}</dt>
                <dd>
                  {llm.configured ? (
                    <Badge tone="success">{t('llm.configured')}</Badge>
                  ) : (
                    <Badge>{t('llm.notConfigured')}</Badge>
                  )}
                </dd>
              </div>
              <div>
                <dt>{t('llm.baseUrl')}</dt>
                <dd className="settings__mono">{llm.baseUrl ?? '—'}</dd>
              </div>
              <div>
                <dt>{t('llm.model')}</dt>
                <dd className="settings__mono">{llm.model ?? '—'}</dd>
              </div>
              <div>
                <dt>{t('llm.apiKey')}</dt>
                <dd>{llm.apiKeySet ? t('llm.keySet') : t('llm.keyNotSet')}</dd>
              </div>
            </dl>
            <p className="small">
              {t('llm.howTo')}{' '}
              {llm.variables.map((name, index) => (
                <span key={name}>
                  {index > 0 && ', '}
                  <code className="settings__mono">{name}</code>
                </span>
              ))}
            </p>
            {!llm.configured && <p className="muted small">{t('llm.withoutLlm')}</p>}
          </>
        )}
      </DataState>
    </SettingsCard>
  )
}
