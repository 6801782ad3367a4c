export { ERROR_CODES, isErrorCode, type ErrorCode } from './codes.js';
export { NexusError, isNexusError, fail, type NexusErrorDetail } from './error.js';
