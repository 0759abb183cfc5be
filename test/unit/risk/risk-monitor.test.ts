import { createLogger } from '../../../adapters/index.js';
import { DEFAULT_RISK_SETTINGS, fitAnomalyBaseline, RiskMonitor, riskSettingsOf, type Clock, type FeatureVector } from '../../../core/index.js';

const logger = createLogger('silent');
const T0 = Date.parse('2026-11-01T08:00:00Z');

function monitorAt(startMs = T0) {
  let nowMs = startMs;
  const clock: Clock = { now: () => new Date(nowMs) };
  const risk = new RiskMonitor({ clock, logger });
  return { risk, advance: (ms: number) => (nowMs += ms), at: (offsetMs: number) => new Date(startMs + offsetMs) };
}

const codes = (risk: RiskMonitor, id: string) => risk.assess(id).reasons.map((r) => r.code).sort();

describe('RiskMonitor rules', () => {
  it('flags a burst of events at the threshold, not one event below it', () => {
    const { risk, at } = monitorAt();
    const { count } = DEFAULT_RISK_SETTINGS.eventBurst;
    for (let i = 0; i < count - 1; i++) risk.observe({ followerId: 'a', kind: 'like', courseId: null, occurredAt: at(i * 1000) });
    expect(risk.statusOf('a')).toBeUndefined();
    risk.observe({ followerId: 'a', kind: 'like', courseId: null, occurredAt: at(count * 1000 - 1000) });
    expect(risk.statusOf('a')).toBe('flagged');
    expect(risk.assess('a').reasons[0]).toEqual({ code: 'event_burst', params: { count, windowSeconds: 60 } });
    expect(risk.assess('a').score).toBe(60);
  });

  it('counts events arriving out of order in the window they belong to', () => {
    const { risk, at } = monitorAt();
    // Spread over 10 minutes, but delivered newest first: never 40 within one minute.
    for (let i = 59; i >= 0; i--) risk.observe({ followerId: 'slow', kind: 'like', courseId: null, occurredAt: at(i * 10_000) });
    expect(risk.statusOf('slow')).toBeUndefined();
  });

  it('flags identical texts from many accounts within the window, and every sender', () => {
    const { risk, at } = monitorAt();
    for (let i = 0; i < 5; i++) risk.observe({ followerId: `s${i}`, kind: 'message', courseId: null, text: ' 加我微信  领免费课 ', occurredAt: at(i * 30_000) });
    for (let i = 0; i < 5; i++) expect(codes(risk, `s${i}`)).toEqual(['duplicate_text']);
    // Commands and short texts are what everyone sends: never a signal.
    for (let i = 0; i < 10; i++) risk.observe({ followerId: `c${i}`, kind: 'message', courseId: null, text: '/start', occurredAt: at(i) });
    for (let i = 0; i < 10; i++) risk.observe({ followerId: `h${i}`, kind: 'message', courseId: null, text: '你好', occurredAt: at(i) });
    expect(risk.statusOf('c0')).toBeUndefined();
    expect(risk.statusOf('h0')).toBeUndefined();
  });

  it('flags a new account that views many courses in seconds, not an old one', () => {
    const { risk, at } = monitorAt();
    for (let i = 0; i < 6; i++) risk.observe({ followerId: 'new', kind: 'click', courseId: `course-${i}`, occurredAt: at(i * 2000), followerCreatedAt: at(0) });
    expect(codes(risk, 'new')).toEqual(['new_account_clicks']);
    for (let i = 0; i < 6; i++) risk.observe({ followerId: 'old', kind: 'click', courseId: `course-${i}`, occurredAt: at(i * 2000), followerCreatedAt: at(-30 * 86_400_000) });
    expect(risk.statusOf('old')).toBeUndefined();
  });

  it('flags every follower behind one device once there are enough of them', () => {
    const { risk } = monitorAt();
    for (let i = 0; i < 3; i++) risk.observeLinks(`f${i}`, ['device:abc']);
    expect(risk.statusOf('f0')).toBeUndefined();
    risk.observeLinks('f3', ['device:abc']);
    for (let i = 0; i < 4; i++) expect(risk.assess(`f${i}`).reasons).toEqual([{ code: 'linked_accounts', params: { accounts: 4, via: 'device' } }]);
  });

  it('flags repeated pay-then-refund and repeated payment failures', () => {
    const { risk, at } = monitorAt();
    risk.observe({ followerId: 'r', kind: 'refund', courseId: 'c1', occurredAt: at(0) });
    expect(risk.statusOf('r')).toBeUndefined();
    risk.observe({ followerId: 'r', kind: 'refund', courseId: 'c2', occurredAt: at(86_400_000) });
    expect(codes(risk, 'r')).toEqual(['pay_refund_cycles']);
    for (let i = 0; i < 3; i++) risk.observePaymentFailure('p', 'amount_mismatch', at(i * 60_000));
    expect(risk.assess('p').reasons).toEqual([{ code: 'payment_failures', params: { failures: 3, windowHours: 24, lastReason: 'amount_mismatch' } }]);
  });

  it('uses tuned thresholds, and a weight of 0 turns a rule off', () => {
    const { risk, at } = monitorAt();
    risk.useSettings(riskSettingsOf({ eventBurst: { count: 5 }, messageBurst: { weight: 0 } }));
    for (let i = 0; i < 5; i++) risk.observe({ followerId: 'x', kind: 'message', courseId: null, occurredAt: at(i) });
    expect(codes(risk, 'x')).toEqual(['event_burst']);
    expect(risk.currentSettings.eventBurst).toEqual({ count: 5, windowSeconds: 60, weight: 60 });
  });

  it('flags by the learned anomaly score what no rule sees', () => {
    const { risk, at } = monitorAt();
    const normal: FeatureVector[] = Array.from({ length: 50 }, (_, i) => ({
      peakEventsPerMinute: 1 + (i % 3), peakCoursesPerMinute: 1, peakMessagesPerMinute: 0, refunds: 0, paymentFailures: 0, linkedAccounts: 0, duplicateTextAccounts: 0,
    }));
    risk.useBaseline(fitAnomalyBaseline(normal, new Date(T0)));
    // 16 views a minute on two courses: under every rule's threshold.
    for (let i = 0; i < 16; i++) risk.observe({ followerId: 'scraper', kind: 'view', courseId: `c${i % 2}`, occurredAt: at(i * 3500) });
    const { reasons, score } = risk.assess('scraper');
    expect(reasons.map((r) => r.code)).toEqual(['anomaly']);
    expect(reasons[0]!.params['feature']).toBe('peakEventsPerMinute');
    expect(score).toBe(50);
    expect(risk.statusOf('scraper')).toBe('flagged');
  });

  it('does not flag a cleared follower again for the reasons reviewed, but does for a new one', () => {
    const { risk, at } = monitorAt();
    for (let i = 0; i < 40; i++) risk.observe({ followerId: 'c', kind: 'like', courseId: null, occurredAt: at(i) });
    risk.applyReview('c', 'cleared', risk.assess('c').reasons);
    for (let i = 0; i < 40; i++) risk.observe({ followerId: 'c', kind: 'like', courseId: null, occurredAt: at(100_000 + i) });
    expect(risk.statusOf('c')).toBe('cleared');
    risk.observe({ followerId: 'c', kind: 'refund', courseId: 'a', occurredAt: at(200_000) });
    risk.observe({ followerId: 'c', kind: 'refund', courseId: 'b', occurredAt: at(200_001) });
    expect(risk.statusOf('c')).toBe('flagged');
  });
});

describe('RiskMonitor chat throttle', () => {
  it('answers up to the limit, sends one notice, stays silent for the window, then answers again', () => {
    const { risk, advance } = monitorAt();
    const { messages, windowSeconds } = DEFAULT_RISK_SETTINGS.chatThrottle;
    const answers = Array.from({ length: messages }, () => (advance(100), risk.admitChatTurn('t')));
    expect(answers.every((a) => a === 'answer')).toBe(true);
    expect(risk.admitChatTurn('t')).toBe('notice');
    expect(risk.admitChatTurn('t')).toBe('silence');
    advance(windowSeconds * 1000 - 1000);
    expect(risk.admitChatTurn('t')).toBe('silence');
    advance(2000);
    expect(risk.admitChatTurn('t')).toBe('answer');
  });

  it('never answers a blocked follower, and holds checkouts of flagged ones', () => {
    const { risk } = monitorAt();
    risk.applyReview('b', 'blocked', []);
    expect(risk.admitChatTurn('b')).toBe('silence');
    expect(risk.isUnderReview('b')).toBe(true);
    risk.applyReview('b', 'cleared', []);
    expect(risk.admitChatTurn('b')).toBe('answer');
    expect(risk.isUnderReview('b')).toBe(false);
  });
});
