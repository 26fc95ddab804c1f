/**
 * A Redis failure safe to throw, log or keep as a cause: ioredis attaches the failed command with
 * its arguments (a message record, so possibly an OTP code) to its errors; only the name, the
 * message and the Redis error code are kept.
 */
export function redisError(error: unknown): Error {
  const clean = new Error(error instanceof Error ? error.message : String(error));
  if (error instanceof Error) clean.name = error.name;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') Object.assign(clean, { code });
  return clean;
}

/** The promise, its rejection replaced by {@link redisError}. */
export function withoutCommand<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((error: unknown) => {
    throw redisError(error);
  });
}
