import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Logger, LoggerOptions } from 'pino';

/** Anything named like a secret, at any of the first three levels, and every credential header. */
const SECRET_NAMES = ['seed', 'key', 'secret', 'privateKey', 'secretKey', 'password', 'token'];
export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', 'authorization',
  ...SECRET_NAMES.flatMap((n) => [n, `*.${n}`, `*.*.${n}`]),
];

/** Requests are logged by method, route and id only: never headers, never bodies. */
const serializers = {
  req: (r: FastifyRequest) => ({ method: r.method, url: r.url, id: r.id }),
  res: (r: { statusCode: number }) => ({ statusCode: r.statusCode }),
};

/** The fastify logger settings for a pino instance or pino options, with redaction forced on. */
export function loggerSettings(logger: LoggerOptions | Logger | undefined): Pick<FastifyServerOptions, 'logger' | 'loggerInstance'> {
  const redact = { paths: [...REDACT_PATHS], censor: '[redacted]' };
  if (logger === undefined) return { logger: false };
  if (typeof (logger as Logger).child === 'function') {
    return { loggerInstance: (logger as Logger).child({}, { redact }) as unknown as NonNullable<FastifyServerOptions['loggerInstance']> };
  }
  return { logger: { ...(logger as LoggerOptions), redact, serializers } };
}
