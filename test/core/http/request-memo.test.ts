import http from 'node:http';
import express from 'express';
import supertest from 'supertest';
import { expect } from 'chai';
import { forgetPerRequest, perRequest, requestMemo } from '../../../core/http/request-memo';

/** An app whose page asks for the same value from three places, as the header, the navigation and a panel do. */
function appCounting(loads: { n: number }) {
  const app = express();
  app.use(requestMemo());
  const value = () =>
    perRequest('test.value:1', async () => {
      loads.n++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return loads.n;
    });
  app.get('/page', async (_req, res) => {
    const [a, b] = await Promise.all([value(), value()]);
    const c = await value();
    res.json({ a, b, c });
  });
  app.get('/changes', async (_req, res) => {
    const before = await value();
    forgetPerRequest('test.');
    res.json({ before, after: await value() });
  });
  app.get('/fails', async (_req, res) => {
    let tries = 0;
    const flaky = () =>
      perRequest('test.flaky', async () => {
        tries++;
        if (tries === 1) throw new Error('first read fails');
        return 'read';
      });
    const first = await flaky().catch((error: Error) => error.message);
    res.json({ first, second: await flaky(), tries });
  });
  return http.createServer(app);
}

describe('core: per-request memo (perRequest)', () => {
  it('loads once for every caller of one request, concurrent or not, and again for the next request', async () => {
    const loads = { n: 0 };
    const server = appCounting(loads);
    const one = await supertest(server).get('/page');
    expect(one.body).to.deep.equal({ a: 1, b: 1, c: 1 });
    const two = await supertest(server).get('/page');
    expect(two.body).to.deep.equal({ a: 2, b: 2, c: 2 });
    expect(loads.n).to.equal(2);
  });

  it('reads again after forgetPerRequest (a change within the request)', async () => {
    const res = await supertest(appCounting({ n: 0 })).get('/changes');
    expect(res.body).to.deep.equal({ before: 1, after: 2 });
  });

  it('does not keep a failed read', async () => {
    const res = await supertest(appCounting({ n: 0 })).get('/fails');
    expect(res.body).to.deep.equal({ first: 'first read fails', second: 'read', tries: 2 });
  });

  it('simply loads outside a request (a job, a script)', async () => {
    let n = 0;
    const load = async () => ++n;
    expect(await perRequest('test.outside', load)).to.equal(1);
    expect(await perRequest('test.outside', load)).to.equal(2);
  });
});
