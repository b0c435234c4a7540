// Typed in-process publish/subscribe. Domain code publishes after its transaction commits; streaming
// and the live web UI subscribe. A failing listener is logged and never breaks the publisher.
import { getLogger } from "@logtape/logtape";

const log = getLogger(["roost", "events"]);

/**
 * Every event and its payload. Later features add their events here, so publishers and
 * subscribers agree on the shape at compile time.
 */
export interface RoostEvents {
  "owner.created": { accountId: string };
  "account.updated": { accountId: string };
  "status.created": { statusId: string; accountId: string };
  "status.updated": { statusId: string; accountId: string };
  "status.deleted": { statusId: string; accountId: string };
  "notification.created": { notificationId: string; accountId: string };
}

export type EventName = keyof RoostEvents;
export type Listener<E extends EventName> = (payload: RoostEvents[E]) => void;

export class EventBus {
  private listeners = new Map<EventName, Set<Listener<any>>>();

  /** Subscribes; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  }

  once<E extends EventName>(event: E, listener: Listener<E>): () => void {
    const off = this.on(event, (payload) => {
      off();
      listener(payload);
    });
    return off;
  }

  publish<E extends EventName>(event: E, payload: RoostEvents[E]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(payload);
      } catch (error) {
        log.error("A listener of {event} threw: {error}", { event, error });
      }
    }
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }
}
