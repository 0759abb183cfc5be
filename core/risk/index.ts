export { RISK_SIGNALS, RISK_STATUSES, type RiskSignal, type RiskReason, type RiskStatus, type RiskDecision, type RiskCase, type RiskStore, type RiskObserver, type ObservedEvent } from './risk-types.js';
export { DEFAULT_RISK_SETTINGS, RISK_SETTINGS_KEY, riskSettingsSchema, riskSettingsOf, type RiskSettings } from './risk-settings.js';
export { RiskMonitor, RISK_SCORER_ACTOR, type RiskMonitorDeps, type ChatAdmission } from './risk-monitor.js';
export { ANOMALY_FEATURES, anomalyOf, fitAnomalyBaseline, type AnomalyBaseline, type FeatureVector } from './anomaly-model.js';
export { DEMO_ANOMALY_BASELINE } from './anomaly-baseline.js';
export { reviewRiskCase, loadRiskSettings, saveRiskSettings, type RiskUnitOfWork, type RiskRepositories } from './review-risk-case.js';
export { riskText } from './risk-text.js';
