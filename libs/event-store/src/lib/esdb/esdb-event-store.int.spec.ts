import { eventStoreContract } from '../../testing';
import { EsdbEventStore } from './esdb-event-store';

const url = process.env.ESDB_URL;

if (url) {
  eventStoreContract(`EventStoreDB (${url})`, async () => {
    const store = new EsdbEventStore(url);
    if (!(await store.ping())) throw new Error(`EventStoreDB at ${url} does not answer`);
    return { store, cleanup: () => store.close() };
  });
} else {
  // Written directly: jest's console.log would add a stack-location block around the one line.
  process.stdout.write('EventStoreDB contract suite skipped: set ESDB_URL=esdb://localhost:2113?tls=false to run it\n');
  describe.skip('EventStore contract: EventStoreDB (needs ESDB_URL)', () => {
    it('runs against a server', () => undefined);
  });
}
