import type { WorkflowDefinition } from '../schema.js'
import { csatSurveyWorkflow } from './csat-survey.js'
import { customerEnrichmentWorkflow } from './customer-enrichment.js'
import { inboundInquiryWorkflow } from './inbound-inquiry.js'
import { serviceHygieneWorkflow } from './service-hygiene.js'

/**
 * The built-in workflows, installed (enabled) by migration 0004 on every database, with or without demo
 * data. People may change them like any other workflow: each change is a new version.
 */
export const BUILTIN_WORKFLOWS: readonly WorkflowDefinition[] = Object.freeze([
  inboundInquiryWorkflow,
  csatSurveyWorkflow,
  customerEnrichmentWorkflow,
  serviceHygieneWorkflow,
])

export { csatSurveyWorkflow, customerEnrichmentWorkflow, inboundInquiryWorkflow, serviceHygieneWorkflow }
export {
  CLOSE_AFTER_SILENT_DAYS,
  FIRST_RESPONSE_WARN_MINUTES,
  RESOLUTION_WARN_MINUTES,
} from './service-hygiene.js'
