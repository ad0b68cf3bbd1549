import { messageOf, Steps } from './smoke-checks';
import { formatLine, hostsOf } from './smoke';

describe('smoke steps', () => {
  it('a store that never answers fails its step; later steps are skipped, the clean-up still runs', async () => {
    const steps = new Steps(20);
    const ran: string[] = [];
    const outcome = await steps.check(
      async () => {
        await steps.run('first', async () => ran.push('first'));
        await steps.run('hangs', () => new Promise(() => undefined));
        await steps.run('never', async () => ran.push('never'));
      },
      async () => {
        ran.push('clean-up');
        steps.note('cleaned');
      },
    );
    expect(ran).toEqual(['first', 'clean-up']);
    expect(outcome).toEqual({ passed: ['first'], failure: { step: 'hangs', message: 'no answer within 20 ms' }, notes: ['cleaned'] });
  });

  it('a failing clean-up fails a check that passed', async () => {
    const steps = new Steps(1000);
    const outcome = await steps.check(
      async () => void (await steps.run('only', async () => 1)),
      async () => {
        throw new Error('drop refused');
      },
    );
    expect(outcome.failure).toEqual({ step: 'clean-up', message: 'drop refused' });
  });

  it('messages carry the causes adapters wrap, on one line', () => {
    const driver = new Error('connect ECONNREFUSED\n127.0.0.1:1');
    expect(messageOf(new Error('the key store did not answer', { cause: driver }))).toBe(
      'the key store did not answer: connect ECONNREFUSED 127.0.0.1:1',
    );
    expect(messageOf(new Error('MongoDB unavailable: boom', { cause: new Error('boom') }))).toBe('MongoDB unavailable: boom');
  });
});

describe('smoke lines', () => {
  it('show the hosts of a connection string, never its credentials', () => {
    expect(hostsOf('mongodb://ops:s3cret@db1:27017,db2:27017/wih?replicaSet=rs0')).toBe('db1:27017,db2:27017');
    expect(hostsOf('esdb://admin:changeit@localhost:2113?tls=false')).toBe('localhost:2113');
    expect(hostsOf('not a url')).toBe('an invalid connection string');
  });

  it('name the failed step, what passed before it, and hide a password a driver quoted', () => {
    const url = 'mongodb://ops:s3cret@db1:27017/';
    const line = formatLine(
      'read store',
      'MongoDB 7.0.14',
      hostsOf(url),
      {
        passed: ['collection'],
        failure: { step: 'commit', message: `failed on ${url}` },
        notes: ['collection dropped'],
      },
      url,
    );
    expect(line).toBe(
      'read store: FAILED — MongoDB 7.0.14 at db1:27017 — commit failed: failed on mongodb://ops:***@db1:27017/ (passed: collection); collection dropped',
    );
  });
});
