import DOMPurify from 'dompurify'
import { Marked } from 'marked'
import { useDeferredValue, useMemo } from 'react'
import { useTranslation } from 'react-i18next'

// The console's CSP allows images from itself and data: URLs only; other images would be refused (and
// logged) by the browser, so the preview drops their source and shows the alt text. Links open in a new tab.
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'IMG') {
    const src = node.getAttribute('src') ?? ''
    if (!/^(\/(?!\/)|data:image\/)/.test(src)) node.removeAttribute('src')
  }
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank')
    node.setAttribute('rel', 'noopener noreferrer')
  }
})

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)

// Raw HTML in an article is shown as text, not rendered: articles are Markdown, the agent quotes their text,
// and an inline handler would only meet the CSP (a console error) before DOMPurify removed it.
const markdown = new Marked({
  gfm: true,
  breaks: false,
  renderer: { html: ({ text }) => escapeHtml(text) },
})

/** Markdown rendered with `marked` (raw HTML escaped) and sanitised with DOMPurify (unsafe URLs removed). */
export function renderMarkdown(source: string): string {
  const html = markdown.parse(source, { async: false })
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } })
}

/** The live preview of an article body; rendering follows typing without blocking it. */
export function MarkdownPreview({ source }: { source: string }) {
  const { t } = useTranslation('knowledge')
  const deferred = useDeferredValue(source)
  const html = useMemo(() => renderMarkdown(deferred), [deferred])
  if (deferred.trim() === '') return <p className="muted kb__preview-body">{t('previewEmpty')}</p>
  return (
    <div
      className="kb__preview-body markdown"
      data-testid="markdown-preview"
      // sanitised above by DOMPurify
      dangerouslySetInnerHTML={{ __html: html }}
    />
  )
}
