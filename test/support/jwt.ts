import { SignJWT } from 'jose';

/** The JWT settings of a test gateway that accepts tokens (pass as its environment). */
export const TEST_JWT_ENV = {
  JWT_SECRET: 'test-jwt-secret-that-is-long-enough-0001',
  JWT_ISSUER: 'https://app-backend.example',
  JWT_AUDIENCE: 'verigate',
} as const;

/** A token as an application backend mints it for `TEST_JWT_ENV`: HS256, issued now, valid for five minutes. */
export function mintTestToken(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(TEST_JWT_ENV.JWT_ISSUER)
    .setAudience(TEST_JWT_ENV.JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(TEST_JWT_ENV.JWT_SECRET));
}
