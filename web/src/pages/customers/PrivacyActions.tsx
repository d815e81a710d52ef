import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router-dom'
import { Modal } from '../../components/Modal'
import { useToast } from '../../components/Toast'
import { api } from '../../lib/api'
import { Section } from './Sections'
import type { Customer } from './types'

/** Saves a JSON value as a file in the browser. */
function download(filename: string, value: unknown) {
  const blob = new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' })
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1_000)
}

/**
 * Admins only (the parent renders this only for them; the API refuses anyone else): the data-subject export
 * as a JSON download, and erasure behind a confirmation where the admin types a word.
 */
export function PrivacyActions({ customer }: { customer: Customer }) {
  const { t } = useTranslation('customers')
  const toast = useToast()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const inputId = useId()
  const [open, setOpen] = useState(false)
  const [typed, setTyped] = useState('')
  const word = t('privacy.eraseWord')
  const exportData = useMutation({
    mutationFn: () => api.get<unknown>(`/customers/${customer.id}/export`),
    onSuccess: (data) => {
      download(`customer-${customer.id}.json`, data)
      toast.success(t('privacy.exported'))
    },
    onError: (error) => toast.error(error),
  })
  const erase = useMutation({
    mutationFn: () => api.del(`/customers/${customer.id}`, { erase: 'true' }),
    onSuccess: async () => {
      setOpen(false)
      toast.success(t('privacy.erased'))
      await queryClient.invalidateQueries({ queryKey: ['customers'] })
      queryClient.removeQueries({ queryKey: ['customer', customer.id] })
      navigate('/customers')
    },
    onError: (error) => toast.error(error),
  })
  const close = () => {
    setOpen(false)
    setTyped('')
  }
  const erased = customer.erasedAt !== null

  return (
    <Section title={t('privacy.title')} className="c360__privacy">
      <p className="muted small">{t('privacy.text')}</p>
      <div className="form-buttons form-buttons--start">
        <button
          type="button"
          className="button"
          onClick={() => exportData.mutate()}
          disabled={exportData.isPending}
        >
          {exportData.isPending ? t('common:state.loading') : t('privacy.export')}
        </button>
        <button
          type="button"
          className="button button--danger"
          onClick={() => setOpen(true)}
          disabled={erased}
        >
          {t('privacy.erase')}
        </button>
      </div>
      <Modal
        open={open}
        title={t('privacy.eraseTitle')}
        onClose={close}
        footer={
          <>
            <button type="button" className="button" onClick={close}>
              {t('common:actions.cancel')}
            </button>
            <button
              type="button"
              className="button button--danger"
              disabled={typed.trim() !== word || erase.isPending}
              onClick={() => erase.mutate()}
            >
              {t('privacy.eraseConfirm')}
            </button>
          </>
        }
      >
        <p>{t('privacy.eraseText', { name: customer.name ?? customer.id })}</p>
        <label htmlFor={inputId}>{t('privacy.typeToConfirm', { word })}</label>
        <input
          id={inputId}
          type="text"
          autoComplete="off"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
        />
      </Modal>
    </Section>
  )
}
