/**
 * Every key Tidings writes, under one namespace (several deployments may share a Redis). Channel
 * names are length-prefixed in correlation keys, so `s` + `ms:1` never meets `sms` + `1`.
 */
export class RedisKeys {
  constructor(readonly namespace: string) {}

  /** Hash: one message's record. */
  message(id: string): string {
    return `${this.namespace}:m:${id}`;
  }

  /** String: idempotency key → message id. */
  idempotency(key: string): string {
    return `${this.namespace}:k:${key}`;
  }

  /** String: provider id on a channel → message id. */
  correlation(channel: string, providerMessageId: string): string {
    return `${this.namespace}:c:${channel.length}:${channel}:${providerMessageId}`;
  }

  /** Set: the correlation keys of one message (to expire them with it). */
  correlations(id: string): string {
    return `${this.namespace}:mc:${id}`;
  }

  /** Set: the unsettled messages a process is responsible for (taken over when it dies). */
  owned(instance: string): string {
    return `${this.namespace}:own:${instance}`;
  }

  /** Stream: one message's events (resume watching it after a restart). */
  messageEvents(id: string): string {
    return `${this.namespace}:ev:${id}`;
  }

  /** Stream: every event of every process. */
  get events(): string {
    return `${this.namespace}:events`;
  }

  /** Stream: receipts other processes forward to this one. */
  inbox(instance: string): string {
    return `${this.namespace}:inbox:${instance}`;
  }

  /** String with a TTL: present while the process lives. */
  alive(instance: string): string {
    return `${this.namespace}:alive:${instance}`;
  }

  /** Set: the processes that announced themselves (and were not taken over yet). */
  get instances(): string {
    return `${this.namespace}:instances`;
  }

  /** Strings `<prefix>:0` … `<prefix>:n-1`: the leases (binds) of one channel, each naming its holder. */
  leases(channel: string): string {
    return `${this.namespace}:lease:${channel}`;
  }

  /** Stream with a consumer group: submits handed to a channel's lease holders. */
  handOff(channel: string): string {
    return `${this.namespace}:q:${channel}`;
  }

  /** Prefix of the streams holders answer hand-offs on (one per requesting process). */
  handOffReplies(channel: string): string {
    return `${this.namespace}:reply:${channel}:`;
  }

  /** String: the shared rate's next free time (GCRA) for one channel. */
  rate(channel: string): string {
    return `${this.namespace}:rate:${channel}`;
  }
}
