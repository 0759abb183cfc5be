import { NotFoundError, parseInput } from '../errors.js';
import type { AuditLog, Clock } from '../ports/index.js';
import type { SettingsRepository } from '../accounts/console-ports.js';
import type { RiskMonitor } from './risk-monitor.js';
import { RISK_SETTINGS_KEY, riskSettingsOf, riskSettingsSchema, type RiskSettings } from './risk-settings.js';
import type { RiskCase, RiskStore } from './risk-types.js';

/** The repositories one risk transaction sees. */
export interface RiskRepositories {
  risk: RiskStore;
  audit: AuditLog;
  settings: SettingsRepository;
}

/**
 * Runs risk work in one transaction (a review, its held orders and its audit entry commit together).
 *
 * @example
 * await uow.run(async ({ risk, audit }) => { ... });
 */
export interface RiskUnitOfWork {
  run<T>(work: (repos: RiskRepositories) => Promise<T>): Promise<T>;
}

/**
 * An admin's verdict on a flagged follower, in one transaction with its audit entry:
 * - `clear`: not fraud; the follower is back in broadcasts and experiments, their held checkouts
 *   are released, and the reasons reviewed do not flag them again;
 * - `confirm`: fraud; the follower is blocked (no replies, no sends) and their held orders are
 *   cancelled.
 * The monitor of this process applies it at once; other processes on their next refresh.
 *
 * @example
 * const reviewed = await reviewRiskCase({ uow, clock, monitor }, { followerId, verdict: 'confirm', actor: 'account:…' });
 */
export async function reviewRiskCase(
  deps: { uow: RiskUnitOfWork; clock: Clock; monitor?: RiskMonitor },
  input: { followerId: string; verdict: 'clear' | 'confirm'; actor: string },
): Promise<RiskCase> {
  const at = deps.clock.now();
  const reviewed = await deps.uow.run(async ({ risk, audit }) => {
    const found = await risk.findCase(input.followerId);
    if (!found) throw new NotFoundError('risk_case_not_found', `Follower ${input.followerId} has no risk case; only flagged followers can be reviewed.`);
    const status = input.verdict === 'clear' ? 'cleared' : 'blocked';
    await risk.saveDecisions([{ followerId: found.followerId, status, score: found.score, reasons: found.reasons, actor: input.actor, at }]);
    const holds = await risk.settleHolds(found.followerId, input.verdict === 'clear' ? 'released' : 'cancelled', at);
    await audit.record({
      actor: input.actor, action: `risk.${input.verdict}`, subjectType: 'follower', subjectId: found.followerId,
      details: { from: found.status, to: status, score: found.score, reasons: found.reasons.map((r) => r.code), heldOrders: holds },
    });
    return (await risk.findCase(found.followerId))!;
  });
  deps.monitor?.applyReview(reviewed.followerId, reviewed.status, reviewed.reasons);
  return reviewed;
}

/**
 * The thresholds in force: the stored document over the defaults.
 *
 * @example
 * const settings = await loadRiskSettings(uow);
 */
export async function loadRiskSettings(uow: RiskUnitOfWork): Promise<RiskSettings> {
  return uow.run(async ({ settings }) => riskSettingsOf(await settings.get(RISK_SETTINGS_KEY)));
}

/**
 * Stores new thresholds (audited, with before and after) and applies them to this process's scorer.
 *
 * @example
 * await saveRiskSettings({ uow, monitor }, { ...settings, flagScore: 60 }, 'account:…');
 */
export async function saveRiskSettings(deps: { uow: RiskUnitOfWork; monitor?: RiskMonitor }, input: unknown, actor: string): Promise<RiskSettings> {
  const next = parseInput(riskSettingsSchema, input, 'settings');
  await deps.uow.run(async ({ settings, audit }) => {
    const before = riskSettingsOf(await settings.get(RISK_SETTINGS_KEY));
    await settings.put(RISK_SETTINGS_KEY, next, actor);
    await audit.record({ actor, action: 'settings.risk', subjectType: 'settings', subjectId: RISK_SETTINGS_KEY, details: { from: before, to: next } });
  });
  deps.monitor?.useSettings(next);
  return next;
}
