import type { WorkflowDefinition } from '../schema.js'

/**
 * An hour after a conversation is resolved, ask the customer for a CSAT score (1–5) and a comment in their
 * own language; a score of 2 or less opens a follow-up task and tells the team.
 */
export const csatSurveyWorkflow: WorkflowDefinition = {
  key: 'csat-survey',
  name: 'Satisfaction survey',
  description:
    'One hour after a conversation is resolved, send a CSAT survey (1–5 plus a comment) in the customer’s language. A score of 2 or less opens a follow-up task and notifies the team.',
  trigger: { type: 'conversation.resolved' },
  steps: [
    { id: 'wait-an-hour', type: 'wait', duration: 'PT1H', next: 'still-resolved' },
    {
      id: 'still-resolved',
      type: 'branch',
      condition: { field: 'conversation.status', op: 'in', value: ['resolved', 'closed'] },
      then: 'send-survey',
    },
    {
      id: 'send-survey',
      type: 'action',
      action: 'send_survey',
      input: {
        survey: 'csat',
        scale: { min: 1, max: 5 },
        question: {
          zh: '您对本次服务满意吗？请回复 1 到 5 分（5 分为非常满意）。',
          en: 'How satisfied are you with the help you got? Reply with a score from 1 to 5 (5 = very satisfied).',
        },
        commentPrompt: {
          zh: '还有什么想告诉我们的吗？欢迎留言。',
          en: 'Anything else you would like to tell us? Leave a comment.',
        },
      },
      next: 'wait-for-answer',
    },
    { id: 'wait-for-answer', type: 'wait', until: 'survey.answered', timeout: 'P3D', next: 'low-score' },
    {
      id: 'low-score',
      type: 'branch',
      condition: { field: 'survey.score', op: 'lte', value: 2 },
      then: 'follow-up-task',
    },
    {
      id: 'follow-up-task',
      type: 'action',
      action: 'create_task',
      input: {
        title: {
          zh: '低满意度（{{survey.score}}/5）：回访 {{customer.name}}',
          en: 'Low CSAT ({{survey.score}}/5): follow up with {{customer.name}}',
        },
        description: '{{survey.comment}}',
        priority: 'high',
        dueIn: 'P1D',
        assignee: 'assignee',
      },
      next: 'notify-team',
    },
    {
      id: 'notify-team',
      type: 'action',
      action: 'notify',
      input: {
        to: 'team',
        message: {
          zh: '{{customer.name}} 对已解决的会话打了 {{survey.score}}/5 分，已创建回访任务。',
          en: '{{customer.name}} rated a resolved conversation {{survey.score}}/5; a follow-up task is open.',
        },
        via: ['console', 'email'],
      },
    },
  ],
}
