export { type RedisScaleOutOptions, redisScaleOutOptionsSchema } from './options.js';
export { RedisMessageStore, type RedisMessageStoreOptions } from './redis-message-store.js';
export {
  type EventsOptions,
  type LeaseOptions,
  type RedisScaleOut,
  redisScaleOut,
  type WatchOptions,
} from './redis-scale-out.js';
