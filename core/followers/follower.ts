import type { IdentityKind } from '../events/event-types.js';

export type Locale = 'zh-CN' | 'en';

/** One person, however many platform identities they reach us through. */
export interface Follower {
  id: string;
  displayName: string | null;
  locale: Locale;
  /** IANA zone, such as `Asia/Shanghai`; quiet hours and active hours are computed in it. */
  timeZone: string;
  hasMarketingConsent: boolean;
  hasPersonalizationConsent: boolean;
  isOptedOut: boolean;
  isReachable: boolean;
  createdAt: Date;
  lastSeenAt: Date | null;
  /** Since when a person handles this follower's chat (an open hand-off); null: the bot does. */
  inHandoffSince: Date | null;
}

export interface Identity {
  kind: IdentityKind;
  externalId: string;
  followerId: string;
}

/** Fields a follower or an admin may change. */
export type FollowerPatch = Partial<
  Pick<Follower, 'displayName' | 'locale' | 'timeZone' | 'hasMarketingConsent' | 'hasPersonalizationConsent' | 'isOptedOut' | 'isReachable'>
>;

/** Whether a string names a time zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
