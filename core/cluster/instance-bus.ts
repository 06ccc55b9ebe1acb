import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { redisModules } from './redis-modules';
import { log } from '../log';

export type BusMessage = Record<string, unknown>;
export type BusListener = (message: BusMessage) => void;

/**
 * Messages between the instances of one store: "plugin states changed", "option X changed", "drop your cache
 * of Y". Without REDIS_URL there is one instance and the bus stays in the process; with it, messages go
 * through Redis pub/sub to every instance that shares the store's prefix.
 *
 * Delivery: a publisher's own listeners get its message exactly once, locally, before `publish` resolves (so
 * the change a request made is visible to its own next read); every other instance gets it once, soon after,
 * through Redis. Pub/sub keeps nothing: an instance that is down or reconnecting misses messages, so whatever
 * listens here must also have a slower fallback (the plugin-state poll does) or reload everything on
 * reconnect (`core.bus.reconnected`, published locally when the subscriber comes back).
 */
export interface InstanceBus {
  readonly kind: 'process' | 'redis';
  /** This instance's id, as other instances see it in messages' origin. */
  readonly instanceId: string;
  publish(topic: string, message: BusMessage): Promise<void>;
  /** Listens to one topic; returns the unsubscribe. A listener that throws is logged and the others still run. */
  subscribe(topic: string, listener: BusListener): () => void;
  /** Whether the bus can carry messages now (Redis answers); for the readiness check. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Published locally (never across instances) when the Redis subscriber reconnects: messages may have been missed. */
export const BUS_RECONNECTED = 'core.bus.reconnected';

class LocalListeners {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every cache and every plugin may listen; the warning at 10 listeners would be noise.
    this.emitter.setMaxListeners(0);
  }

  on(topic: string, listener: BusListener): () => void {
    const safe = (message: BusMessage) => {
      try {
        listener(message);
      } catch (error) {
        log.error({ err: error, topic }, 'a bus listener failed');
      }
    };
    this.emitter.on(topic, safe);
    return () => void this.emitter.off(topic, safe);
  }

  emit(topic: string, message: BusMessage): void {
    this.emitter.emit(topic, message);
  }
}

/** One instance: messages reach this process's listeners only. */
export class ProcessBus implements InstanceBus {
  readonly kind = 'process' as const;
  readonly instanceId = crypto.randomUUID();
  private readonly listeners = new LocalListeners();

  publish(topic: string, message: BusMessage): Promise<void> {
    this.listeners.emit(topic, message);
    return Promise.resolve();
  }

  subscribe(topic: string, listener: BusListener): () => void {
    return this.listeners.on(topic, listener);
  }

  ping(): Promise<boolean> {
    return Promise.resolve(true);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

interface Envelope {
  from: string;
  message: BusMessage;
}

/**
 * Redis pub/sub: one connection publishes, a dedicated one subscribes (a subscribed ioredis connection can
 * do nothing else). Channels are `<prefix>bus:<topic>`, the prefix being the store's (REDIS_PREFIX), so two
 * stores on one Redis never hear each other.
 */
export class RedisBus implements InstanceBus {
  readonly kind = 'redis' as const;
  readonly instanceId = crypto.randomUUID();
  private readonly listeners = new LocalListeners();
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly channelPrefix: string;
  private closed = false;

  private constructor(redisUrl: string, prefix: string) {
    this.channelPrefix = `${prefix}bus:`;
    const { Redis: Client } = redisModules.ioredis();
    this.publisher = new Client(redisUrl, { maxRetriesPerRequest: 2 });
    this.subscriber = new Client(redisUrl, { maxRetriesPerRequest: null });
    this.publisher.on('error', (error) => log.warn({ err: error }, 'bus publisher: Redis error'));
    this.subscriber.on('error', (error) => log.warn({ err: error }, 'bus subscriber: Redis error'));
    this.subscriber.on('pmessage', (_pattern: string, channel: string, raw: string) => this.receive(channel, raw));
    let first = true;
    this.subscriber.on('ready', () => {
      // ioredis subscribes again by itself after a reconnect; what was published meanwhile is lost.
      if (first) first = false;
      else if (!this.closed) this.listeners.emit(BUS_RECONNECTED, {});
    });
  }

  /** Connects and subscribes before resolving, so nothing published after start is missed. */
  static async connect(redisUrl: string, prefix: string): Promise<RedisBus> {
    const bus = new RedisBus(redisUrl, prefix);
    await bus.subscriber.psubscribe(`${bus.channelPrefix}*`);
    return bus;
  }

  async publish(topic: string, message: BusMessage): Promise<void> {
    this.listeners.emit(topic, message);
    const envelope: Envelope = { from: this.instanceId, message };
    try {
      await this.publisher.publish(this.channelPrefix + topic, JSON.stringify(envelope));
    } catch (error) {
      // The change is committed; the other instances' fallback (poll, reconnect reload) picks it up.
      log.warn({ err: error, topic }, 'could not publish on the instance bus');
    }
  }

  subscribe(topic: string, listener: BusListener): () => void {
    return this.listeners.on(topic, listener);
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.publisher.ping()) === 'PONG' && this.subscriber.status === 'ready';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([this.subscriber.quit(), this.publisher.quit()]);
  }

  private receive(channel: string, raw: string): void {
    if (!channel.startsWith(this.channelPrefix)) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(raw) as Envelope;
    } catch {
      log.warn({ channel }, 'a bus message that is not JSON was ignored');
      return;
    }
    // Its own message was delivered locally at publish time.
    if (envelope.from === this.instanceId || typeof envelope.message !== 'object' || envelope.message === null) return;
    this.listeners.emit(channel.slice(this.channelPrefix.length), envelope.message);
  }
}

/** The bus for this configuration: Redis when REDIS_URL is set, in the process otherwise. */
export async function createInstanceBus(redisUrl: string | undefined, prefix: string): Promise<InstanceBus> {
  return redisUrl ? RedisBus.connect(redisUrl, prefix) : new ProcessBus();
}
