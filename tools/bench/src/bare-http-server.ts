import { createServer } from 'node:http';

/**
 * The raw baseline of an HTTP round trip: Node's own server answering a fixed JSON body, no
 * framework, no store. Started as a child process by the read-your-writes benchmark; prints its port.
 */
const body = JSON.stringify({ caseId: '00000000-0000-4000-8000-000000000000', revision: 1, status: 'active' });
const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(typeof address === 'object' && address ? address.port : 0);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
