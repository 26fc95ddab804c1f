import { z } from 'zod';

const positiveMs = z.number().int().positive();

/** The options of {@link redisScaleOut}: plain data, validated when it is called. */
export const redisScaleOutOptionsSchema = z
  .strictObject({
    /** `redis://[:password@]host:port[/db]` (or `rediss://` for TLS). Default `redis://127.0.0.1:6379`. */
    url: z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
    /** Prefix of every key; deployments sharing a Redis use different ones. Default `tidings`. */
    namespace: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." and "-" only')
      .optional(),
    /** How long a settled message, its idempotency key and correlations stay known. Default 1 hour. */
    retentionMs: positiveMs.optional(),
    /** The longest an unsettled message stays known (more than retries plus the receipt timeout). Default 3 days. */
    pendingTtlMs: positiveMs.optional(),
    /** How long events stay readable (`events$`, `watch`) after they happened. Default 1 hour. */
    eventRetentionMs: positiveMs.optional(),
    /** Submits per second per channel instance, across every process together. */
    rates: z.record(z.string().min(1), z.number().positive().max(100_000)).optional(),
    /** How often a process says it is alive (and looks for dead ones). Default 1 000 ms. */
    heartbeatMs: positiveMs.optional(),
    /**
     * A process silent this long is dead: another takes its messages over and its leases expire.
     * Keep it well above the longest pause a live process may have. Default 10 000 ms.
     */
    deadAfterMs: positiveMs.optional(),
    /** This process' name in Redis. Default: a random UUID (a restarted process is a new one). */
    instanceId: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." and "-" only')
      .optional(),
  })
  .refine((options) => (options.deadAfterMs ?? 10_000) >= 2 * (options.heartbeatMs ?? 1_000), {
    message: 'must be at least twice heartbeatMs (a late heartbeat must not look like a death)',
    path: ['deadAfterMs'],
  });

export type RedisScaleOutOptions = z.input<typeof redisScaleOutOptionsSchema>;
