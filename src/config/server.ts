import { z } from 'zod';
import { type EnvOf, limit, optionalText } from './parse.ts';

/** The HTTP listener: where it binds, how many connections it holds, and how it shuts down. */

export interface ServerConfig {
  /** Address the listener binds: 127.0.0.1 outside production, every interface (0.0.0.0) in production. */
  host: string;
  port: number;
  /**
   * Open connections at most; past it the oldest connection still sending a request (its head, or a body not yet
   * complete) is closed first.
   */
  maxConnections: number;
  /** A request, head and body, must arrive within this long, ms; Node answers 408 and closes the connection past it. */
  requestTimeoutMs: number;
  /** After the first 5 s, a request body still arriving must average at least this many bytes a second; 0: no floor. */
  bodyMinBytesPerSecond: number;
  /**
   * After SIGTERM or SIGINT, /readyz answers 503 this long while requests are still served, so balancers stop
   * routing, ms. 5 s by default in production only: outside it there is no balancer to tell, so Ctrl-C stops at once.
   */
  shutdownDelayMs: number;
  /** Then in-flight requests get this long to finish before their connections are closed and the process exits, ms. */
  drainTimeoutMs: number;
}

export const serverEnv = {
  NODE_ENV: z
    .enum(['production', 'development', 'test'], { message: 'must be production, development or test' })
    .optional()
    .default('development'),
  HOST: optionalText.pipe(
    z
      .string()
      .regex(/^[0-9a-zA-Z.:[\]-]+$/, 'must be an IP address or host name, such as 127.0.0.1, 0.0.0.0 or ::')
      .optional(),
  ),
  PORT: z.coerce
    .number({ message: 'must be a number' })
    .int('must be an integer')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(4000),
  HTTP_MAX_CONNECTIONS: limit(16, 1_000_000, 10_000),
  HTTP_REQUEST_TIMEOUT_SECONDS: limit(10, 3_600, 30),
  HTTP_BODY_MIN_BYTES_PER_SECOND: limit(0, 1_000_000_000, 1_024),
  // Unset: 5 in production, 0 elsewhere (serverConfig).
  SHUTDOWN_DELAY_SECONDS: z.coerce
    .number({ message: 'must be a number' })
    .int('must be an integer')
    .min(0, 'must be between 0 and 300')
    .max(300, 'must be between 0 and 300')
    .optional(),
  SHUTDOWN_TIMEOUT_SECONDS: limit(1, 600, 10),
  PLAYGROUND_ENABLED: optionalText.pipe(z.enum(['true', 'false'], { message: 'must be true or false' }).optional()),
};

export function serverConfig(env: EnvOf<typeof serverEnv>): ServerConfig {
  return {
    host: env.HOST ?? (env.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    port: env.PORT,
    maxConnections: env.HTTP_MAX_CONNECTIONS,
    requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
    bodyMinBytesPerSecond: env.HTTP_BODY_MIN_BYTES_PER_SECOND,
    shutdownDelayMs: (env.SHUTDOWN_DELAY_SECONDS ?? (env.NODE_ENV === 'production' ? 5 : 0)) * 1000,
    drainTimeoutMs: env.SHUTDOWN_TIMEOUT_SECONDS * 1000,
  };
}
