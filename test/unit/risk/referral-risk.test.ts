import { createLogger } from '../../../adapters/index.js';
import { DEFAULT_RISK_SETTINGS, RiskMonitor, riskSettingsOf, type Clock } from '../../../core/index.js';

const logger = createLogger('silent');
const T0 = Date.parse('2026-11-01T08:00:00Z');
const HOUR = 3_600_000;

function monitor(settings = DEFAULT_RISK_SETTINGS) {
  const clock: Clock = { now: () => new Date(T0) };
  return new RiskMonitor({ clock, logger, settings });
}
const at = (offsetMs: number) => new Date(T0 + offsetMs);
/** A referred account's /start: its follow event, then its attribution to the referrer. */
function refer(risk: RiskMonitor, referrerId: string, referredId: string, offsetMs: number) {
  risk.observe({ followerId: referredId, kind: 'follow', courseId: null, occurredAt: at(offsetMs) });
  risk.observeReferral(referrerId, referredId, at(offsetMs));
}

describe('RiskMonitor referral and coupon rules', () => {
  it('flags a referrer whose referred accounts do nothing after following, at the threshold', () => {
    const risk = monitor();
    const { idleReferred, windowHours } = DEFAULT_RISK_SETTINGS.referralFarming;
    for (let i = 0; i < idleReferred - 1; i++) refer(risk, 'farmer', `puppet${i}`, i * 60_000);
    expect(risk.statusOf('farmer')).toBeUndefined();
    refer(risk, 'farmer', 'puppet-last', idleReferred * 60_000);
    expect(risk.statusOf('farmer')).toBe('flagged');
    expect(risk.assess('farmer').reasons).toEqual([{ code: 'referral_farming', params: { idleReferred, windowHours } }]);
    // The referred accounts themselves are not accused by this rule.
    expect(risk.statusOf('puppet0')).toBeUndefined();
  });

  it('does not flag a referrer whose friends are active, nor referrals spread beyond the window', () => {
    const risk = monitor();
    const { idleReferred, windowHours } = DEFAULT_RISK_SETTINGS.referralFarming;
    for (let i = 0; i < idleReferred + 2; i++) {
      refer(risk, 'popular', `friend${i}`, i * 60_000);
      for (let k = 0; k < 3; k++) risk.observe({ followerId: `friend${i}`, kind: 'view', courseId: `c${k}`, occurredAt: at(i * 60_000 + (k + 1) * 1000) });
    }
    expect(risk.statusOf('popular')).toBeUndefined();
    for (let i = 0; i < idleReferred + 2; i++) refer(risk, 'patient', `slow${i}`, i * (windowHours + 1) * HOUR);
    expect(risk.statusOf('patient')).toBeUndefined();
  });

  it('raises both accounts of a referral refused for sharing a device; a weight of 0 turns the rule off', () => {
    const risk = monitor();
    risk.observeReferralRefused('referrer', 'sock', 'device');
    for (const id of ['referrer', 'sock']) expect(risk.assess(id).reasons).toEqual([{ code: 'referral_farming', params: { linkedReferral: 1, via: 'device' } }]);
    const off = monitor(riskSettingsOf({ referralFarming: { weight: 0 } }));
    off.observeReferralRefused('referrer', 'sock', 'device');
    expect(off.assess('referrer').reasons).toEqual([]);
  });

  it('flags accounts behind one device that redeem the same coupon, not strangers who do', () => {
    const risk = monitor();
    risk.observeLinks('x1', ['device:d1']);
    risk.observeLinks('x2', ['device:d1']);
    risk.observeCouponRedemption('x1', 'coupon-1');
    expect(risk.statusOf('x1')).toBeUndefined();
    risk.observeCouponRedemption('stranger', 'coupon-1');
    expect(risk.statusOf('stranger')).toBeUndefined();
    // Another coupon by the linked account: not the same coupon.
    risk.observeCouponRedemption('x2', 'coupon-2');
    expect(risk.statusOf('x2')).toBeUndefined();
    risk.observeCouponRedemption('x2', 'coupon-1');
    for (const id of ['x1', 'x2']) expect(risk.assess(id).reasons).toEqual([{ code: 'coupon_linked_accounts', params: { accounts: 2, via: 'device' } }]);
    expect(risk.assess('stranger').reasons).toEqual([]);
  });

  it('keeps stored settings written before these rules existed working, with the new rules at their defaults', () => {
    const stored = { ...DEFAULT_RISK_SETTINGS, referralFarming: undefined, couponLinkedAccounts: undefined };
    const settings = riskSettingsOf(JSON.parse(JSON.stringify(stored)));
    expect(settings.referralFarming).toEqual(DEFAULT_RISK_SETTINGS.referralFarming);
    expect(settings.couponLinkedAccounts).toEqual(DEFAULT_RISK_SETTINGS.couponLinkedAccounts);
  });
});
