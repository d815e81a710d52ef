// Text classifiers (issue 3, item 2): the TextClassifier interface, training, loading.
export {
  LinearTextClassifier,
  loadTextClassifier,
  type Classification,
  type LinearClassifierOptions,
} from './linear-classifier.js'
export { fingerprintExamples } from './snapshot.js'
export type { EpochRecord } from './softmax.js'
export { trainTextClassifier, type TrainOptions, type TrainResult, type TrainingReport } from './train.js'
export {
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type Evidence,
  type ModelSnapshot,
  type Prediction,
  type TextClassifier,
  type TrainingExample,
} from './types.js'
