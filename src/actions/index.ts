/**
 * The executor (issue 5, item 4) and human takeover (item 3): actions with zod inputs and audit entries,
 * the agent → actions bridge, and the pure takeover rules and guards. The store implements the ports.
 */
export { runAction, type Action, type ActionContext } from './action.js'
export { actionResult, type ActionEffect, type ActionResult, type EffectKind } from './result.js'
export {
  APPROVAL_REASONS,
  APPROVAL_STATUSES,
  NOTIFICATION_KINDS,
  type ActionAuditEntry,
  type ActionStore,
  type ActionTransaction,
  type Approval,
  type ApprovalReason,
  type ApprovalStatus,
  type ConversationState,
  type CustomerChanges,
  type MessageState,
  type Notification,
  type NotificationKind,
} from './ports.js'
export {
  DEFAULT_ACTION_LIMITS,
  DEFAULT_AI_REPLIES_PER_HOUR,
  REPLY_CAP_WINDOW_MS,
  aiMaySend,
  handlerAfter,
  handlerAfterStatusChange,
  replyCapReached,
  replyCapWindowStart,
  type ActionLimits,
  type HandlerState,
  type TakeoverEvent,
} from './takeover.js'
export { detectAutomaticMessage, type AutomaticVerdict, type MessageHeaders } from './automatic-mail.js'
export { citationSchema, messageOutboxKey } from './outbound.js'
export { replyAction, replyInputSchema, type ReplyInput } from './reply.js'
export {
  draftForApprovalAction,
  draftForApprovalInputSchema,
  type DraftForApprovalInput,
} from './draft-for-approval.js'
export {
  assignAction,
  assignInputSchema,
  handOffAction,
  handOffInputSchema,
  type AssignInput,
  type HandOffInput,
} from './hand-off.js'
export { giveBackToAiAction, giveBackToAiInputSchema, type GiveBackToAiInput } from './give-back-to-ai.js'
export { retag, tagAction, tagInputSchema, type TagInput } from './tag.js'
export {
  updateCustomerAction,
  updateCustomerInputSchema,
  type UpdateCustomerInput,
} from './update-customer.js'
export { addNoteAction } from './add-note.js'
export { createTaskAction } from './create-task.js'
export { notifyAction, notifyInputSchema, type NotifyInput } from './notify.js'
export {
  SURVEY_LANGUAGES,
  newSurveyToken,
  sendSurveyAction,
  sendSurveyInputSchema,
  type SendSurveyInput,
} from './send-survey.js'
export {
  updateConversationAction,
  updateConversationInputSchema,
  type UpdateConversationInput,
} from './update-conversation.js'
export {
  approvalOutboxKey,
  decideApprovalAction,
  decideApprovalInputSchema,
  type DecideApprovalInput,
} from './decide-approval.js'
export {
  applyDecision,
  assertInbound,
  planDecision,
  type AppliedDecision,
  type ApplyDecisionInput,
  type DecisionOutcome,
  type DecisionPlan,
  type DecisionSituation,
  type PlannedStep,
} from './apply-decision.js'
export { ACTIONS, type ExecutorActionName } from './catalogue.js'
export {
  createActionService,
  type ActionService,
  type DecisionMaker,
  type RunOptions,
} from './actions-service.js'
export {
  ASSIGNMENT_FIELDS,
  NO_ASSIGNMENT_RULES,
  assignmentCandidates,
  assignmentRuleSchema,
  assignmentRulesSchema,
  chooseAssignee,
  parseAssignmentRules,
  type AssignmentChoice,
  type AssignmentContext,
  type AssignmentRule,
  type AssignmentRules,
} from './assignment.js'
