import type { JobHandler, JobName } from './job-map';

type AnyHandler = (payload: Record<string, unknown>) => Promise<void>;

/** The handlers this process can run, by job name: what both queues' workers look jobs up in. */
export class JobHandlers {
  private readonly byName = new Map<string, AnyHandler>();

  /** Returns the disposer; it removes the handler only if no later `define` replaced it. */
  define<N extends JobName>(name: N, handler: JobHandler<N>): () => void {
    const untyped = handler as unknown as AnyHandler; // payloads come back from JSON; the JobMap types them at the edges
    this.byName.set(name, untyped);
    return () => {
      if (this.byName.get(name) === untyped) this.byName.delete(name);
    };
  }

  get(name: string): AnyHandler | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}
