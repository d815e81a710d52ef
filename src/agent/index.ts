export { perceive, type Perception, type PerceiveContext, type PerceivedLabel } from './perceive.js'
export * from './drafting.js'
export {
  DECISION_ACTIONS,
  DEFAULT_THRESHOLDS,
  EMPTY_CONTEXT,
  HAND_OFF_REASONS,
  type AgentThresholds,
  type Citation,
  type CustomerContext,
  type Decision,
  type DecisionAction,
  type HandOffReason,
  type KnowledgeHit,
  type OrderSummary,
} from './decision.js'
export { decide, decisionFacts, replyLanguage, type DecideOptions } from './decide.js'
export {
  createAgent,
  type Agent,
  type AgentSettings,
  type AgentStore,
  type ContextSource,
  type DecisionRecord,
  type MessageContext,
} from './agent-service.js'
export * from './policies/index.js'
export {
  DEFAULT_TARGET_PRECISION,
  calibrateAgent,
  crossValidateCalibration,
  calibrateAnswerThreshold,
  evaluateScenarios,
  parseScenarios,
  scenarioSchema,
  type AgentCalibration,
  type AgentEvaluation,
  type CalibrationResult,
  type Scenario,
  type ScenarioOutcome,
} from './evaluation.js'
export {
  DEFAULT_CONFIDENCE_MODEL,
  SIGNALS,
  answerSignals,
  confidenceOf,
  fitConfidenceModel,
  type ConfidenceModel,
  type Signal,
  type Signals,
} from './confidence.js'
export {
  AGENT_TOOLS,
  createTask,
  handOff,
  lookupCustomer,
  lookupOrder,
  runTool,
  scheduleCallback,
  searchKnowledge,
  toolDefinitions,
  type Tool,
  type ToolContext,
  type ToolPorts,
} from './tools.js'
