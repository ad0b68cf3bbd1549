export { accessLogContract, entry, type OpenedLog } from './contract';
