import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'

export type ToastTone = 'info' | 'success' | 'error'
interface ToastItem {
  readonly id: number
  readonly tone: ToastTone
  readonly text: string
}

export interface Toaster {
  /** Shows a short message for a few seconds (errors stay until dismissed). */
  show(text: string, tone?: ToastTone): void
  success(text: string): void
  /** An error's message (an ApiError's is already in words a person understands). */
  error(error: unknown): void
}

const ToastContext = createContext<Toaster | null>(null)

export function ToastProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation()
  const [items, setItems] = useState<ToastItem[]>([])
  const next = useRef(1)
  const dismiss = useCallback((id: number) => setItems((list) => list.filter((item) => item.id !== id)), [])
  const show = useCallback(
    (text: string, tone: ToastTone = 'info') => {
      const id = next.current++
      setItems((list) => [...list.slice(-3), { id, tone, text }])
      if (tone !== 'error') setTimeout(() => dismiss(id), 4_000)
    },
    [dismiss],
  )
  const toaster = useMemo<Toaster>(
    () => ({
      show,
      success: (text) => show(text, 'success'),
      error: (error) => show(error instanceof Error ? error.message : String(error), 'error'),
    }),
    [show],
  )
  return (
    <ToastContext.Provider value={toaster}>
      {children}
      <div className="toasts" aria-live="polite" aria-atomic="false">
        {items.map((item) => (
          <div
            key={item.id}
            className={`toast toast--${item.tone}`}
            role={item.tone === 'error' ? 'alert' : 'status'}
          >
            <span>{item.text}</span>
            <button
              type="button"
              className="icon-button"
              onClick={() => dismiss(item.id)}
              aria-label={t('actions.dismiss')}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  )
}

export function useToast(): Toaster {
  const toaster = useContext(ToastContext)
  if (!toaster) throw new Error('useToast outside <ToastProvider>')
  return toaster
}
