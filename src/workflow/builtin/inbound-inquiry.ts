import type { WorkflowDefinition } from '../schema.js'

/**
 * Every inbound message: perceive it, decide, then act on the decision — reply (answers and clarifying
 * questions), draft a reply for a person to approve, or hand the conversation to a person. While a person
 * handles the conversation the agent never sends: it only drafts a suggestion for them.
 */
export const inboundInquiryWorkflow: WorkflowDefinition = {
  key: 'inbound-inquiry',
  name: 'Inbound inquiry',
  description:
    'Perceive and reason over each inbound message, then reply, draft a reply for approval, or hand off to a person. While a person handles the conversation, the agent only suggests drafts.',
  trigger: { type: 'message.received' },
  steps: [
    { id: 'perceive', type: 'perceive', next: 'reason' },
    { id: 'reason', type: 'reason', next: 'person-handles' },
    {
      id: 'person-handles',
      type: 'branch',
      condition: { field: 'conversation.handler', op: 'eq', value: 'human' },
      then: 'has-suggestion',
      else: 'can-answer',
    },
    {
      id: 'has-suggestion',
      type: 'branch',
      condition: {
        field: 'decision.action',
        op: 'in',
        value: ['answer', 'answer_with_approval', 'ask_clarifying'],
      },
      then: 'suggest',
    },
    {
      id: 'suggest',
      type: 'action',
      action: 'draft_for_approval',
      input: {
        assignee: 'assignee',
        note: {
          zh: '此会话由人工处理：以下是智能助理建议的回复，仅供参考。',
          en: 'A person handles this conversation: this is the agent’s suggested reply.',
        },
      },
    },
    {
      id: 'can-answer',
      type: 'branch',
      condition: { field: 'decision.action', op: 'in', value: ['answer', 'ask_clarifying'] },
      then: 'reply',
      else: 'needs-approval',
    },
    { id: 'reply', type: 'action', action: 'reply', input: {} },
    {
      id: 'needs-approval',
      type: 'branch',
      condition: { field: 'decision.action', op: 'eq', value: 'answer_with_approval' },
      then: 'draft',
      else: 'needs-person',
    },
    { id: 'draft', type: 'action', action: 'draft_for_approval', input: {} },
    {
      id: 'needs-person',
      type: 'branch',
      condition: { field: 'decision.action', op: 'eq', value: 'hand_off' },
      then: 'hand-off',
    },
    { id: 'hand-off', type: 'action', action: 'hand_off', input: {} },
  ],
}
