import type { App } from '../../app.js'
import { adminRoutes } from './admin.js'
import { attachmentRoutes } from './attachments.js'
import { channelRoutes } from './channels.js'
import { channelWebhookRoutes } from './channel-webhooks.js'
import { companyRoutes } from './companies.js'
import { conversationRoutes } from './conversations.js'
import { consoleRoutes } from './console.js'
import { inboxRoutes } from './inbox.js'
import { mailboxRoutes } from './mailboxes.js'
import { customerRoutes } from './customers.js'
import { nluRoutes } from './nlu.js'
import { trainingRoutes } from './training.js'
import { knowledgeRoutes } from './knowledge.js'
import { agentRoutes } from './agent.js'
import { workflowRunRoutes } from './workflow-runs.js'
import { approvalRoutes } from './approvals.js'
import { notificationRoutes } from './notifications.js'
import { takeoverRoutes } from './takeover.js'
import { eventRoutes } from './events.js'
import { noteRoutes } from './notes.js'
import { orderRoutes } from './orders.js'
import { productRoutes } from './products.js'
import { surveyRoutes } from './surveys.js'
import { systemRoutes } from './system.js'
import { taskRoutes } from './tasks.js'
import { transferRoutes } from './transfer.js'
import { workflowRoutes } from './workflows.js'
import { streamRoutes } from './stream.js'
import { widgetRoutes } from './widget.js'
import { dashboardRoutes } from './dashboard.js'
import { customerInsightRoutes } from './customer-insights.js'
import { llmSettingsRoutes } from './llm-settings.js'
import type { ApiServer } from './types.js'

/** Every route of the API, one file per capability. */
export async function registerRoutes(server: ApiServer, app: App): Promise<void> {
  systemRoutes(server, app)
  consoleRoutes(server)
  customerRoutes(server, app)
  companyRoutes(server, app)
  productRoutes(server, app)
  orderRoutes(server, app)
  eventRoutes(server, app)
  conversationRoutes(server, app)
  channelRoutes(server, app)
  await channelWebhookRoutes(server, app)
  noteRoutes(server, app)
  taskRoutes(server, app)
  attachmentRoutes(server, app)
  adminRoutes(server, app)
  nluRoutes(server, app)
  trainingRoutes(server, app)
  knowledgeRoutes(server, app)
  agentRoutes(server, app)
  workflowRunRoutes(server, app)
  approvalRoutes(server, app)
  takeoverRoutes(server, app)
  notificationRoutes(server, app)
  transferRoutes(server, app)
  workflowRoutes(server, app)
  surveyRoutes(server, app)
  inboxRoutes(server, app)
  mailboxRoutes(server, app)
  streamRoutes(server, app)
  await widgetRoutes(server, app)
  dashboardRoutes(server, app)
  customerInsightRoutes(server, app)
  llmSettingsRoutes(server, app)
}
