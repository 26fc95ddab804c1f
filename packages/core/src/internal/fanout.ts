import { Observable, type Subscriber } from 'rxjs';

/**
 * A hot stream without replay, like an rxjs `Subject` seen through `asObservable()`, for the
 * runtime's `events$` (several events per message): `next` walks a plain array, where `Subject`
 * allocates a closure and an iterator per value. Subscribers are kept copy-on-write, so one that
 * (un)subscribes while a value is delivered changes nothing for that value.
 */
export class Fanout<T> {
  #subscribers: readonly Subscriber<T>[] = [];
  #closed = false;
  readonly observable: Observable<T>;

  constructor() {
    this.observable = new Observable<T>((subscriber) => {
      if (this.#closed) {
        subscriber.complete();
        return;
      }
      this.#subscribers = [...this.#subscribers, subscriber];
      return () => {
        this.#subscribers = this.#subscribers.filter((s) => s !== subscriber);
      };
    });
  }

  next(value: T): void {
    // A subscriber whose handler throws does not stop the others: rxjs reports the error itself.
    const subscribers = this.#subscribers;
    for (let i = 0; i < subscribers.length; i++) (subscribers[i] as Subscriber<T>).next(value);
  }

  complete(): void {
    if (this.#closed) return;
    this.#closed = true;
    const subscribers = this.#subscribers;
    this.#subscribers = [];
    for (const subscriber of subscribers) subscriber.complete();
  }
}
