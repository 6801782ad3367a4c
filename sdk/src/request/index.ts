export { signRequest, AUTH_SCHEME, DEFAULT_REQUEST_TTL_MS, type RequestToSign, type BodyDigest } from './sign-request.js';
export { verifyRequest, type ReceivedRequest } from './verify-request.js';
