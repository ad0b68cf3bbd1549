// jsdom for the web UI's component tests, with the web platform globals that jsdom leaves out
// but browsers (and the UI) have: fetch's Response/Request/Headers, TextEncoder, structuredClone,
// WebCrypto's subtle (the offline outbox encrypts with it).
const { TestEnvironment } = require('jest-environment-jsdom');

class BrowserLikeEnvironment extends TestEnvironment {
  async setup() {
    await super.setup();
    const names = ['TextEncoder', 'TextDecoder', 'Response', 'Request', 'Headers', 'fetch', 'structuredClone', 'ReadableStream', 'Blob'];
    for (const name of names) if (this.global[name] === undefined) this.global[name] = globalThis[name];
    if (!this.global.crypto?.randomUUID) this.global.crypto.randomUUID = () => globalThis.crypto.randomUUID();
    if (!this.global.crypto.subtle) Object.defineProperty(this.global.crypto, 'subtle', { value: globalThis.crypto.subtle });
    if (this.global.CryptoKey === undefined) this.global.CryptoKey = globalThis.CryptoKey;
  }
}

module.exports = BrowserLikeEnvironment;
