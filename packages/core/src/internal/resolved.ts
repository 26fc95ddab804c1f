/**
 * One already resolved promise shared by synchronous writes (the in-memory store): a write then
 * allocates nothing, and the runtime, seeing this very promise, skips attaching a handler to it.
 */
export const resolvedVoid: Promise<void> = Promise.resolve();
