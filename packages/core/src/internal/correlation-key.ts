/** One map key for a provider id on a channel: ids are only unique per provider account. */
export function correlationKey(channel: string, providerMessageId: string): string {
  return `${channel}\u0000${providerMessageId}`;
}
