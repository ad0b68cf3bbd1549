// jest globalSetup: one line, before the run, naming the suites that need a server and skip
// without one, and how to run them (the suites themselves skip silently).
module.exports = async () => {
  if (!process.env.MONGO_URL) {
    process.stdout.write(
      '\nMongoDB suites skipped (no MONGO_URL): the read store, key store and access log contracts, the API on MongoDB, ' +
        'the projector crash and the smoke test on MongoDB. `npm run test:mongo` runs them against a FerretDB it builds and starts ' +
        '(needs Go); against the compose MongoDB: MONGO_URL="mongodb://root:wih-root-demo@localhost:27017/?directConnection=true" npm test\n',
    );
  }
};
