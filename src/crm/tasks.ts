import { z } from 'zod'
import { cleanText, idSchema, isoTimeSchema, listQueryBase } from './common.js'
import { PRIORITIES, type Priority } from './conversations.js'

export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]

/** A to-do for a person; `completedAt` is set when it becomes done and cleared when it is reopened. */
export interface Task {
  id: string
  title: string
  description: string | null
  customerId: string | null
  conversationId: string | null
  assigneeId: string | null
  status: TaskStatus
  priority: Priority
  dueAt: string | null
  completedAt: string | null
  createdAt: string
  updatedAt: string
}

const fields = {
  title: cleanText(500).trim().min(1),
  description: cleanText(20_000).nullable(),
  id: idSchema.nullable(),
  status: z.enum(TASK_STATUSES),
  priority: z.enum(PRIORITIES),
  dueAt: isoTimeSchema.nullable(),
}

export const taskCreateSchema = z.strictObject({
  title: fields.title,
  description: fields.description.optional(),
  customerId: fields.id.optional(),
  conversationId: fields.id.optional(),
  assigneeId: fields.id.optional(),
  status: fields.status.default('open'),
  priority: fields.priority.default('normal'),
  dueAt: fields.dueAt.optional(),
})
export type TaskCreate = z.output<typeof taskCreateSchema>

export const taskPatchSchema = z.strictObject({
  title: fields.title.optional(),
  description: fields.description.optional(),
  customerId: fields.id.optional(),
  conversationId: fields.id.optional(),
  assigneeId: fields.id.optional(),
  status: fields.status.optional(),
  priority: fields.priority.optional(),
  dueAt: fields.dueAt.optional(),
})
export type TaskPatch = z.output<typeof taskPatchSchema>

export const taskListQuerySchema = z.strictObject({
  ...listQueryBase,
  customerId: idSchema.optional(),
  conversationId: idSchema.optional(),
  assigneeId: idSchema.optional(),
  status: z.enum(TASK_STATUSES).optional(),
  priority: z.enum(PRIORITIES).optional(),
})
