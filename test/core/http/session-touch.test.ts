import { expect } from 'chai';
import session from 'express-session';
import { QueryTypes } from 'sequelize';
import { throttleTouch } from '../../../core/http/session';
import { startTestApp, createUser, login, type TestApp } from '../../helpers/app';

/** A store that records what it was asked to write. */
class RecordingStore extends session.Store {
  writes: string[] = [];
  get(_sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    callback(null, null);
  }
  set(sid: string, _data: session.SessionData, callback?: (err?: unknown) => void): void {
    this.writes.push(`set ${sid}`);
    callback?.();
  }
  destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.writes.push(`destroy ${sid}`);
    callback?.();
  }
  override touch(sid: string, _data: session.SessionData, callback?: () => void): void {
    this.writes.push(`touch ${sid}`);
    callback?.();
  }
}

const data = {} as session.SessionData;

describe('sessions: the expiry is renewed at most every SESSION_TOUCH_MINUTES, not on every request', () => {
  it('skips a touch within the interval after a save or a touch, and renews once it has passed', () => {
    const store = new RecordingStore();
    let now = 1_000_000;
    throttleTouch(store, 5 * 60_000, () => now);
    let answered = 0;
    const done = () => answered++;
    store.set('a', data, done);
    store.touch('a', data, done);
    now += 4 * 60_000;
    store.touch('a', data, done);
    expect(store.writes).to.deep.equal(['set a']);
    now += 60_000;
    store.touch('a', data, done);
    now += 60_000;
    store.touch('a', data, done);
    // Another session and one this instance never wrote are renewed on their first request.
    store.touch('b', data, done);
    expect(store.writes).to.deep.equal(['set a', 'touch a', 'touch b']);
    // Every request is answered, renewed or not (express-session waits for the callback to end the response).
    expect(answered).to.equal(6);
    // A destroyed session's mark goes with it: the id is not kept.
    store.destroy('a', done);
    store.touch('a', data, done);
    expect(store.writes.slice(-2)).to.deep.equal(['destroy a', 'touch a']);
  });

  it('renews on every request with an interval of 0', () => {
    const store = new RecordingStore();
    throttleTouch(store, 0);
    store.set('a', data);
    store.touch('a', data);
    store.touch('a', data);
    expect(store.writes).to.deep.equal(['set a', 'touch a', 'touch a']);
  });

  describe('in the database store', () => {
    let t: TestApp;
    let eager: TestApp;
    before(async () => {
      t = await startTestApp({ plugins: [] });
      eager = await startTestApp({ plugins: [], env: { SESSION_TOUCH_MINUTES: '0' } });
    });
    after(async () => {
      await t?.close();
      await eager?.close();
    });

    /** The logged-in person's session row (the only one with a user in it) after three pages. */
    async function expiriesOverPages(app: TestApp): Promise<{ before: number; after: number }> {
      const { user, password } = await createUser();
      const agent = app.agent();
      await login(agent, user.username, password);
      const row = async () => {
        const rows = await app.platform.sequelize.query<{ expires: string | Date; data: string }>('SELECT expires, data FROM sessions', { type: QueryTypes.SELECT });
        const mine = rows.find((r) => JSON.parse(r.data).passport?.user?.id === user.id);
        return new Date(mine!.expires).getTime();
      };
      const before = await row();
      await new Promise((resolve) => setTimeout(resolve, 20));
      for (let i = 0; i < 3; i++) expect((await agent.get('/account')).status).to.equal(200);
      return { before, after: await row() };
    }

    it('writes nothing for the pages of a person logged in a moment ago (the login saved the session)', async () => {
      const { before, after } = await expiriesOverPages(t);
      expect(after).to.equal(before);
    });

    it('renews the stored expiry on each page with SESSION_TOUCH_MINUTES=0', async () => {
      const { before, after } = await expiriesOverPages(eager);
      expect(after).to.be.greaterThan(before);
    });
  });

  it('refuses a negative interval in the configuration with a clear message', async () => {
    const { loadConfig } = await import('../../../core/config');
    expect(() => loadConfig({ NODE_ENV: 'test', SESSION_TOUCH_MINUTES: '-1', SESSION_SECRET: 'x'.repeat(40), DATA_DIR: '/tmp/agora-touch-config' })).to.throw(/SESSION_TOUCH_MINUTES.*0 or more/);
  });
});
