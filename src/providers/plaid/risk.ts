import type { Location, Warning } from '../../model/session.ts';
import { text } from '../../model/values.ts';
import type { PlaidIdentityVerification, PlaidRiskCheck } from './payload.ts';
import { FAILED_STEP_STATUSES } from './status.ts';

/** The `risk_check` step (`RiskCheckDetails`) as Verigate shows it: warnings, and what it says of the person's IP. */

const riskWarning = (risk: string, shortDescription: string, additionalData: unknown = null): Warning => ({
  feature: 'risk_check',
  risk,
  logType: 'warning',
  shortDescription,
  longDescription: null,
  additionalData,
});

/** The risk check's signals that say something is off, one warning each (`RiskCheckDetails`). */
export function riskWarnings(r: PlaidRiskCheck, step: string | null | undefined): Warning[] {
  if (!r) return [];
  const warnings: Warning[] = [];
  if (step && FAILED_STEP_STATUSES.has(step))
    warnings.push({ ...riskWarning('RISK_CHECK_FAILED', 'Plaid’s risk check failed'), logType: 'error' });
  if (r.behavior?.bot_detected === 'yes') warnings.push(riskWarning('BOT_DETECTED', 'Automated activity was detected'));
  if (r.behavior?.fraud_ring_detected === 'yes')
    warnings.push(riskWarning('FRAUD_RING_DETECTED', 'Fraud ring activity was detected'));
  if (r.behavior?.user_interactions === 'risky')
    warnings.push(riskWarning('RISKY_USER_INTERACTIONS', 'The user showed low familiarity with the data given'));
  if (r.email?.domain_is_disposable === 'yes')
    warnings.push(riskWarning('DISPOSABLE_EMAIL_DOMAIN', 'The email domain is disposable'));
  if (r.email?.top_level_domain_is_suspicious === 'yes')
    warnings.push(riskWarning('SUSPICIOUS_EMAIL_DOMAIN', 'The email’s top-level domain is suspicious'));
  const proxies = (r.devices ?? []).map((d) => d.ip_proxy_type).filter((p) => p && p !== 'none_detected');
  if (proxies.length > 0)
    warnings.push(riskWarning('IP_PROXY_DETECTED', 'The device used a proxy', { ip_proxy_type: proxies }));
  const duplicates = r.facial_duplicates ?? [];
  if (duplicates.length > 0)
    warnings.push(
      riskWarning('FACIAL_DUPLICATE', 'The face matches another identity verification', {
        facial_duplicates: duplicates.map((d) => ({ id: d.id ?? null, similarity: d.similarity ?? null })),
      }),
    );
  return warnings;
}

/** The IP the person came from (`user.ip_address`) and what the risk check's first device says of it. */
export function locationOf(v: PlaidIdentityVerification): Location | null {
  const address = text(v.user?.ip_address);
  const device = v.risk_check?.devices?.[0];
  if (address === null && !device) return null;
  const proxy = device?.ip_proxy_type ?? null;
  return {
    status: null,
    providerStatus: null,
    ip: {
      address,
      country: null,
      countryCode: null,
      state: null,
      city: null,
      latitude: null,
      longitude: null,
      isp: null,
      organization: null,
      isVpnOrTor: proxy === null || proxy === 'no_data' ? null : proxy === 'tor' || proxy === 'vpn',
      isDataCenter: null,
      timeZone: null,
      timeZoneOffset: text(device?.ip_timezone_offset),
    },
    device: null,
    documentLocation: null,
    distanceFromDocumentToIpKm: null,
  };
}
