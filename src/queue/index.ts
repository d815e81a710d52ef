// Adapters of the workflow's Queue port: the embedded database queue and BullMQ on Redis (queue mode).
export { createDatabaseQueue, type DatabaseQueueOptions } from './database-queue.js'
export { createRedisQueue, type RedisQueueOptions } from './redis-queue.js'
