/** Query keys under ['messages', id] so a live `message.created` refreshes all of them. */
export const threadKeys = {
  messages: (id: string) => ['messages', id] as const,
  decisions: (id: string) => ['messages', id, 'decisions'] as const,
  notes: (id: string) => ['messages', id, 'notes'] as const,
  tasks: (id: string) => ['messages', id, 'tasks'] as const,
  attachments: (id: string) => ['messages', id, 'attachments'] as const,
  approvals: (id: string) => ['approvals', { conversationId: id }] as const,
}
