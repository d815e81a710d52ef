import { useId } from 'react'
import type { FieldIssue } from '../lib/api'

/** Parses JSON text; on failure, the parser's message (it names the position). */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  }
}

export interface JsonEditorProps {
  /** The visible label of the text area. */
  readonly label: string
  readonly value: string
  readonly onChange: (text: string) => void
  /** Problems by path, as the API reports them (`rules[1].when.field: …`). */
  readonly issues?: readonly FieldIssue[]
  /** A message that is not about one path (invalid JSON, a network error). */
  readonly error?: string | null
  readonly readOnly?: boolean
  readonly rows?: number
  /** A short hint under the label. */
  readonly hint?: string
}

/**
 * A JSON document edited as text (policies, assignment rules, channel settings), with the problems listed by
 * path under it and announced to screen readers.
 *
 * @example
 *   <JsonEditor label="Rules" value={text} onChange={setText} issues={apiError?.issues} />
 */
export function JsonEditor({
  label,
  value,
  onChange,
  issues = [],
  error,
  readOnly,
  rows = 14,
  hint,
}: JsonEditorProps) {
  const id = useId()
  const problems = issues.length > 0 || Boolean(error)
  return (
    <div className="form-field form-field--wide">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span id={`${id}-hint`} className="muted small">
          {hint}
        </span>
      )}
      <textarea
        id={id}
        className="code-editor"
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        rows={rows}
        value={value}
        readOnly={readOnly}
        aria-invalid={problems ? true : undefined}
        aria-describedby={
          [hint ? `${id}-hint` : '', problems ? `${id}-problems` : ''].filter(Boolean).join(' ') || undefined
        }
        onChange={(event) => onChange(event.target.value)}
      />
      {problems && (
        <div id={`${id}-problems`} role="alert">
          {error && <p className="form-error">{error}</p>}
          {issues.length > 0 && (
            <ul className="issue-list">
              {issues.map((issue, index) => (
                <li key={`${issue.path}-${index}`}>
                  {issue.path && <code>{issue.path}</code>}
                  {issue.path && ': '}
                  {issue.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  )
}
