export {
  createDashboardRepository,
  type Dashboard,
  type DashboardPeriod,
  type DashboardRepository,
  type DurationSummary,
} from './dashboard-repository.js'
export {
  createCustomerSidecarRepository,
  type CustomerSidecarRepository,
  type CustomerSurvey,
  type DuplicateSuggestion,
} from './customer-sidecar-repository.js'
export { daysBetween, offsetSegments, startOfDay, utcOffsetMinutes } from './zone-days.js'
