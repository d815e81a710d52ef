import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { DataState } from '../../components/DataState'
import { Icon } from '../../components/Icon'
import { api, type Page } from '../../lib/api'
import { formatDate, formatNumber } from '../../lib/format'
import { threadKeys } from './keys'
import type { Attachment, Conversation, Note, Task } from './types'

/** Notes, tasks and attachments of the conversation. */
export function SidePanel({ conversation }: { conversation: Conversation }) {
  const { t } = useTranslation('inbox')
  const id = conversation.id
  const notes = useQuery({
    queryKey: threadKeys.notes(id),
    queryFn: () => api.get<Page<Note>>('/notes', { conversationId: id, limit: 50 }),
  })
  const tasks = useQuery({
    queryKey: threadKeys.tasks(id),
    queryFn: () => api.get<Page<Task>>('/tasks', { conversationId: id, limit: 50 }),
  })
  const attachments = useQuery({
    queryKey: threadKeys.attachments(id),
    queryFn: () => api.get<Page<Attachment>>('/attachments', { conversationId: id, limit: 50 }),
  })
  return (
    <div className="side">
      <section className="card side__section" aria-labelledby="notes-title">
        <h3 id="notes-title">{t('side.notes')}</h3>
        <DataState query={notes} isEmpty={(page) => page.items.length === 0} empty={t('side.noNotes')}>
          {(page) => (
            <ul className="side__list" data-testid="notes">
              {page.items.map((note) => (
                <li key={note.id}>
                  <p className="side__note">{note.body}</p>
                  <span className="muted small">{formatDate(note.createdAt)}</span>
                </li>
              ))}
            </ul>
          )}
        </DataState>
      </section>
      <section className="card side__section" aria-labelledby="tasks-title">
        <h3 id="tasks-title">{t('side.tasks')}</h3>
        <DataState query={tasks} isEmpty={(page) => page.items.length === 0} empty={t('side.noTasks')}>
          {(page) => (
            <ul className="side__list" data-testid="tasks">
              {page.items.map((task) => (
                <li key={task.id}>
                  <strong>{task.title}</strong>
                  <span className="muted small">
                    {t(`side.taskStatus.${task.status}`, { defaultValue: task.status })}
                    {task.dueAt && ` · ${t('side.due', { date: formatDate(task.dueAt) })}`}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </DataState>
      </section>
      <section className="card side__section" aria-labelledby="attachments-title">
        <h3 id="attachments-title">{t('side.attachments')}</h3>
        <DataState
          query={attachments}
          isEmpty={(page) => page.items.length === 0}
          empty={t('side.noAttachments')}
        >
          {(page) => (
            <ul className="side__list">
              {page.items.map((file) => (
                <li key={file.id}>
                  <a
                    href={`/api/v1/attachments/${file.id}/content`}
                    target="_blank"
                    rel="noreferrer"
                    className="attachment"
                  >
                    <Icon name="paperclip" size={14} />
                    {file.filename}
                  </a>
                  <span className="muted small">
                    {t('side.size', { kb: formatNumber(Math.max(1, Math.round(file.size / 1024))) })}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </DataState>
      </section>
    </div>
  )
}
