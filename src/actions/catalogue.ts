import { addNoteAction } from './add-note.js'
import { createTaskAction } from './create-task.js'
import { decideApprovalAction } from './decide-approval.js'
import { draftForApprovalAction } from './draft-for-approval.js'
import { giveBackToAiAction } from './give-back-to-ai.js'
import { assignAction, handOffAction } from './hand-off.js'
import { notifyAction } from './notify.js'
import { replyAction } from './reply.js'
import { sendSurveyAction } from './send-survey.js'
import { tagAction } from './tag.js'
import { updateConversationAction } from './update-conversation.js'
import { updateCustomerAction } from './update-customer.js'

/**
 * Every action of the executor by name, for callers that hold a name from data (a workflow step). A plain
 * object: go-to-definition follows each entry.
 */
export const ACTIONS = {
  reply: replyAction,
  draft_for_approval: draftForApprovalAction,
  hand_off: handOffAction,
  assign: assignAction,
  give_back_to_ai: giveBackToAiAction,
  tag: tagAction,
  update_customer: updateCustomerAction,
  add_note: addNoteAction,
  create_task: createTaskAction,
  decide_approval: decideApprovalAction,
  update_conversation: updateConversationAction,
  notify: notifyAction,
  send_survey: sendSurveyAction,
} as const

export type ExecutorActionName = keyof typeof ACTIONS
