export { keyStoreContract, type OpenedKeyStore } from './contract';
