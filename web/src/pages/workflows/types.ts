/** Shapes of the workflow API (src/server/routes/workflows.ts, workflow-runs.ts, approvals.ts). */
export interface WorkflowStep {
  readonly id: string
  readonly type: string
  readonly action?: string
  readonly next?: string
  readonly then?: string
  readonly else?: string
  readonly onReject?: string
}

export interface WorkflowDefinition {
  readonly key: string
  readonly name: string
  readonly description?: string
  readonly trigger: { readonly type: string }
  readonly steps: readonly WorkflowStep[]
}

export interface Workflow {
  readonly id: string
  readonly key: string
  readonly name: string
  readonly description: string | null
  readonly version: number
  readonly enabled: boolean
  readonly triggerType: string
  readonly definition: WorkflowDefinition
  readonly source: string
  readonly createdAt: string
  readonly updatedAt: string
}

export interface WorkflowVersion {
  readonly id: string
  readonly version: number
  readonly createdAt: string
}

export type RunStatus = 'running' | 'waiting' | 'done' | 'failed' | 'cancelled'
export const RUN_STATUSES: readonly RunStatus[] = ['running', 'waiting', 'done', 'failed', 'cancelled']

export interface Run {
  readonly id: string
  readonly workflowId: string
  readonly workflowKey: string
  readonly workflowVersion: number
  readonly status: RunStatus
  readonly currentStep: string | null
  readonly attempt: number
  readonly error: string | null
  readonly customerId: string | null
  readonly conversationId: string | null
  readonly messageId: string | null
  readonly trigger?: { readonly type: string }
  readonly createdAt: string
  readonly updatedAt: string
  readonly finishedAt: string | null
}

export interface RunStep {
  readonly id: string
  readonly stepId: string
  readonly stepType: string
  readonly status: 'done' | 'waiting' | 'failed' | 'retrying'
  readonly attempt: number
  readonly error: string | null
  readonly nextStep: string | null
  readonly startedAt: string
  readonly finishedAt: string
}

export interface Approval {
  readonly id: string
  readonly conversationId: string
  readonly messageId: string | null
  readonly draftText: string
  readonly status: string
  readonly reason: string
  readonly createdAt: string
}
