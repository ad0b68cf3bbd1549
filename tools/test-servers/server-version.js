// Prints one line naming the MongoDB-protocol server the suites run against, and its version.
const { MongoClient } = require('mongodb');

const main = async (url) => {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    const server = info.ferretdbVersion ? `FerretDB ${info.ferretdbVersion} (reports MongoDB ${info.version})` : `MongoDB ${info.version}`;
    process.stdout.write(`MongoDB suites run against ${server} at ${url}\n`);
  } finally {
    await client.close();
  }
};

main(process.argv[2]).catch((error) => {
  process.stderr.write(`no MongoDB-protocol server at ${process.argv[2]}: ${error.message}\n`);
  process.exit(1);
});
