export { perceive, type Perception, type PerceiveContext, type PerceivedLabel } from './perceive.js'
