/**
 * The condition language (docs/decisions/2026-11-25-condition-language.md): a JSON expression tree over named
 * facts, validated against a field catalogue and evaluated purely in memory. `store/conditions` compiles the
 * same trees to SQL.
 */
export {
  CONDITION_LIMITS,
  CONDITION_OPERATORS,
  conditionSchema,
  conditionShapeIssues,
  formatPath,
  isFieldCondition,
  type AllCondition,
  type AnyCondition,
  type BusinessHoursCondition,
  type Condition,
  type ConditionOperator,
  type ConditionScalar,
  type FieldCondition,
  type LeafCheck,
  type NotCondition,
  type PathSegment,
  type ShapeIssue,
} from './schema.js'
export {
  FIELD_TYPES,
  OPERATORS_BY_TYPE,
  closest,
  operatorsFor,
  validateCondition,
  type ConditionIssue,
  type ConditionValidation,
  type FieldCatalogue,
  type FieldSpec,
  type FieldType,
  type ValidateConditionOptions,
} from './fields.js'
export {
  evaluateCondition,
  explainCondition,
  lookupFact,
  type ConditionExplanation,
  type ConditionOptions,
  type Facts,
  type LeafExplanation,
} from './evaluate.js'
export { isWithinBusinessHours, localWeekTime, weeklyBusinessHours } from './business-hours.js'
/** The workspace's opening hours, as `ConditionOptions.businessHours` takes them. */
export type { BusinessHours } from '../workspace.js'
export {
  ISO_DATE_TIME,
  foldCase,
  isMoneyFact,
  minorUnitDigits,
  parseDateTime,
  toMinorUnits,
  type MoneyFact,
} from './values.js'
