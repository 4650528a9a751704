import { flag, optionalText } from './parse.ts';

/** Browsers on other origins: which origins may call /graphql (CORS). */

export interface BrowserConfig {
  /** Exact origins (`https://app.example.com`) allowed to call /graphql from a browser. */
  corsOrigins: readonly string[];
  /** `CORS_ORIGINS=*`: every origin (refused in production unless CORS_ALLOW_ANY_ORIGIN=true). */
  corsAnyOrigin: boolean;
  /** Outside production: any `http://localhost:<port>`, `http://127.0.0.1:<port>` or `http://[::1]:<port>` too. */
  corsLocalDevOrigins: boolean;
}

export const browserEnv = {
  CORS_ORIGINS: optionalText,
  CORS_ALLOW_ANY_ORIGIN: flag,
};

interface BrowserEnv {
  NODE_ENV: 'production' | 'development' | 'test';
  CORS_ORIGINS?: string;
  CORS_ALLOW_ANY_ORIGIN?: boolean;
}

export function browserConfig(env: BrowserEnv, problems: string[]): BrowserConfig {
  const production = env.NODE_ENV === 'production';
  const listed = (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  const corsAnyOrigin = listed.includes('*');
  if (corsAnyOrigin && production && env.CORS_ALLOW_ANY_ORIGIN !== true) {
    // Any web page could then read answers with a key it got hold of; an operator has to say it twice.
    problems.push(
      'CORS_ORIGINS: * lets every web page call the gateway; list origins, or set CORS_ALLOW_ANY_ORIGIN=true',
    );
  }
  const corsOrigins: string[] = [];
  for (const origin of listed.filter((o) => o !== '*')) {
    const exact = exactOrigin(origin);
    if (exact) corsOrigins.push(exact);
    else
      problems.push(`CORS_ORIGINS: "${origin}" is not an origin such as https://app.example.com (scheme, host, port)`);
  }
  return { corsOrigins, corsAnyOrigin, corsLocalDevOrigins: !production };
}

/** The origin as a browser serializes it in the `Origin` header, or null when `value` is not just an origin. */
function exactOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    // A path, query or credentials would never match an Origin header: refuse rather than silently never match.
    const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
    return bare && !value.endsWith('?') && !value.endsWith('#') ? url.origin : null;
  } catch {
    return null;
  }
}
