import type { Disposer, PluginContext, ConsentCategory } from '@agora/core';
import { ThirdPartyCookie } from '../models';

/**
 * The admin's third-party cookies, declared to core's guard and cookie list like a plugin's. Re-declared after
 * each change on this instance; another instance picks a change up at its next start (or its own next change).
 */
export class ThirdPartyCookies {
  private disposers: Disposer[] = [];
  private rows: ThirdPartyCookie[] = [];

  constructor(private readonly ctx: PluginContext) {
    ctx.onDispose(() => this.clear());
  }

  async sync(): Promise<void> {
    const rows = await ThirdPartyCookie.findAll({ order: [['category', 'ASC'], ['name', 'ASC']] });
    this.clear();
    this.rows = rows;
    for (const row of rows) {
      this.disposers.push(this.ctx.assets.cookie({ name: row.name, purpose: row.purpose, consent: row.category as ConsentCategory, duration: row.duration }));
    }
  }

  list(): readonly ThirdPartyCookie[] {
    return this.rows;
  }

  providerOf(name: string): string | undefined {
    return this.rows.find((r) => r.name === name)?.provider;
  }

  private clear(): void {
    for (const d of this.disposers.splice(0)) d();
  }
}
