export * from './datasets.js'
export * from './builtin-models.js'
export * from './nlu-service.js'
