import { useState, type FormEvent } from 'react';
import { api, ApiError, issuesByPath } from '../api.ts';
import { useI18n, type Messages } from '../i18n.ts';
import { RETARGETING_TRIGGERS, type RetargetingRule, type RuleParamKey, type Trigger } from './campaign-types.ts';
import { FieldError } from './field-error.tsx';

type Label = keyof Messages;
interface ParamField { key: RuleParamKey; label: Label; fallback: number; step: number }

const hoursAfter = (label: Label): ParamField => ({ key: 'hours', label, fallback: 24, step: 1 });
const days = (label: Label, fallback: number): ParamField => ({ key: 'days', label, fallback, step: 1 });

/**
 * What each trigger reads: its parameters with the value the scan uses when one is left empty
 * (models/repositories/pg-campaign-rules.ts, CROSS_SELL_DEFAULTS), and the template variables it fills.
 */
const TRIGGERS: Record<Trigger, { label: Label; params: ParamField[]; variables: string[] }> = {
  viewed_not_bought: { label: 'triggerViewedNotBought', params: [hoursAfter('paramHoursViewed')], variables: ['course'] },
  abandoned_checkout: { label: 'triggerAbandonedCheckout', params: [hoursAfter('paramHoursCheckout')], variables: ['course'] },
  dormant: { label: 'triggerDormant', params: [days('paramDaysDormant', 30)], variables: ['course'] },
  new_course_match: { label: 'triggerNewCourseMatch', params: [days('paramDaysNewCourse', 30)], variables: ['course'] },
  cross_sell: {
    label: 'triggerCrossSell',
    params: [
      hoursAfter('paramHoursCrossSell'),
      { key: 'minSupport', label: 'paramMinSupport', fallback: 2, step: 1 },
      { key: 'minConfidence', label: 'paramMinConfidence', fallback: 0.2, step: 0.05 },
      { key: 'minLift', label: 'paramMinLift', fallback: 1, step: 0.1 },
    ],
    variables: ['course', 'purchased', 'confidence', 'support', 'lift'],
  },
  completed_course: {
    label: 'triggerCompletedCourse',
    params: [hoursAfter('paramHoursCompleted'), { key: 'minSupport', label: 'paramMinSupport', fallback: 2, step: 1 }],
    variables: ['course', 'purchased', 'confidence', 'support', 'lift'],
  },
  stalled_learning: { label: 'triggerStalledLearning', params: [days('paramDaysStalled', 30)], variables: ['course'] },
};
const VARIABLE_HELP: Record<string, Label> = { course: 'varCourse', purchased: 'varPurchased', confidence: 'varConfidence', support: 'varSupport', lift: 'varLift' };

type DelayUnit = 'minutes' | 'hours' | 'days';
const UNIT_MINUTES: Record<DelayUnit, number> = { minutes: 1, hours: 60, days: 24 * 60 };
const largestUnitOf = (minutes: number): DelayUnit => (['days', 'hours'] as const).find((u) => minutes > 0 && minutes % UNIT_MINUTES[u] === 0) ?? 'minutes';

/** A delay in the largest whole unit: 120 → `2 hours`. */
export const describeDelay = (minutes: number, t: Messages): string => `${minutes / UNIT_MINUTES[largestUnitOf(minutes)]} ${t[largestUnitOf(minutes)]}`;

interface DraftVariant { key: string; weight: number; courseId?: string; zh: string; en: string }
/** The form as typed: numbers stay text until sent, so nothing the admin wrote is lost to parsing. */
interface RuleDraft {
  name: string; trigger: Trigger; params: Record<RuleParamKey, string>; delay: string; delayUnit: DelayUnit; maxPerFollower: string;
  conversionGoal: 'click' | 'purchase'; attributionHours: string; holdoutPercent: string; allocation: 'ab' | 'bandit'; isEnabled: boolean; variants: DraftVariant[];
}

/** The trigger's name in the console's language. */
export const triggerLabel = (trigger: Trigger, t: Messages): string => t[TRIGGERS[trigger]?.label ?? 'trigger'];

/** The parameters a rule's trigger reads, as `label: value` (the scan's default when unset). */
export const describeParams = (rule: RetargetingRule, t: Messages): string =>
  (TRIGGERS[rule.trigger]?.params ?? []).map((p) => `${t[p.label]}: ${rule.params[p.key] ?? `${p.fallback} (${t.defaultIs})`}`).join(' · ') || '—';

function draftOf(rule: RetargetingRule | null): RuleDraft {
  const minutes = rule?.delayMinutes ?? 0;
  const delayUnit = largestUnitOf(minutes);
  const param = (key: RuleParamKey) => (rule?.params[key] === undefined ? '' : String(rule.params[key]));
  return {
    name: rule?.name ?? '',
    trigger: rule?.trigger ?? 'viewed_not_bought',
    params: { hours: param('hours'), days: param('days'), minSupport: param('minSupport'), minConfidence: param('minConfidence'), minLift: param('minLift') },
    delay: String(minutes / UNIT_MINUTES[delayUnit]),
    delayUnit,
    maxPerFollower: String(rule?.maxPerFollower ?? 1),
    conversionGoal: rule?.conversionGoal ?? 'purchase',
    attributionHours: String(rule?.attributionHours ?? 72),
    holdoutPercent: String(rule?.holdoutPercent ?? 0),
    allocation: rule?.allocation ?? 'bandit',
    isEnabled: rule?.isEnabled ?? true,
    variants: (rule?.variants ?? [{ key: 'A', weight: 1, text: {} }]).map((v) => ({
      key: v.key, weight: v.weight ?? 1, ...(v.courseId ? { courseId: v.courseId } : {}), zh: v.text['zh-CN'] ?? '', en: v.text.en ?? '',
    })),
  };
}

/** Empty means "use the default"; anything that is not a number goes as typed, so the server names the field. */
const numberOrText = (text: string): number | string | undefined => (text.trim() === '' ? undefined : Number.isFinite(Number(text)) ? Number(text) : text);

/** The request body for POST/PUT /retargeting-rules: only the parameters the chosen trigger reads. */
function bodyOf(draft: RuleDraft) {
  const delay = numberOrText(draft.delay);
  // Rounded to drop float noise (0.1 h × 60 = 6.000000000000001); a fraction of a minute still goes, and the server refuses it by name.
  const delayMinutes = typeof delay === 'number' ? Math.round(delay * UNIT_MINUTES[draft.delayUnit] * 1000) / 1000 : delay;
  return {
    name: draft.name.trim(),
    trigger: draft.trigger,
    params: Object.fromEntries(TRIGGERS[draft.trigger].params.flatMap((p) => (draft.params[p.key].trim() === '' ? [] : [[p.key, numberOrText(draft.params[p.key])]]))),
    variants: draft.variants.map((v) => ({
      key: v.key, weight: v.weight, ...(v.courseId ? { courseId: v.courseId } : {}),
      text: { ...(v.zh.trim() ? { 'zh-CN': v.zh } : {}), ...(v.en.trim() ? { en: v.en } : {}) },
    })),
    allocation: draft.allocation,
    delayMinutes,
    maxPerFollower: numberOrText(draft.maxPerFollower),
    isEnabled: draft.isEnabled,
    conversionGoal: draft.conversionGoal,
    attributionHours: numberOrText(draft.attributionHours),
    holdoutPercent: numberOrText(draft.holdoutPercent),
  };
}

/** Errors the server answers without a field path, placed under the field they are about. */
const FIELD_OF_CODE: Record<string, string> = { rule_name_taken: 'name' };

/**
 * Creates a retargeting rule (`rule` null) or edits one: trigger and its parameters, timing, limit,
 * goal, and the message templates per variant and language. The server validates; its messages
 * appear under the fields they name and above the buttons, and the form keeps what was typed.
 */
export function RuleForm({ rule, onSaved, onCancel }: { rule: RetargetingRule | null; onSaved: (saved: RetargetingRule) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(() => draftOf(rule));
  const [failure, setFailure] = useState<{ message: string; issues: Record<string, string> } | null>(null);
  const [isSaving, setSaving] = useState(false);
  const set = (patch: Partial<RuleDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const setParam = (key: RuleParamKey, value: string) => setDraft((d) => ({ ...d, params: { ...d.params, [key]: value } }));
  const setVariant = (i: number, patch: Partial<DraftVariant>) => setDraft((d) => ({ ...d, variants: d.variants.map((v, j) => (j === i ? { ...v, ...patch } : v)) }));
  const addVariant = () => setDraft((d) => ({ ...d, variants: [...d.variants, { key: String.fromCharCode(65 + d.variants.length), weight: 1, zh: '', en: '' }] }));
  const removeVariant = (i: number) => setDraft((d) => ({ ...d, variants: d.variants.filter((_, j) => j !== i) }));

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setSaving(true);
    try {
      const saved = rule
        ? await api<RetargetingRule>('PUT', `/retargeting-rules/${rule.id}`, bodyOf(draft))
        : await api<RetargetingRule>('POST', '/retargeting-rules', bodyOf(draft));
      setFailure(null);
      onSaved(saved);
    } catch (err) {
      const issues = issuesByPath(err);
      const field = err instanceof ApiError ? FIELD_OF_CODE[err.code] : undefined;
      setFailure({ message: err instanceof Error ? err.message : String(err), issues: field ? { ...issues, [field]: (err as Error).message } : issues });
    } finally {
      setSaving(false);
    }
  };

  const issues = failure?.issues ?? {};
  const spec = TRIGGERS[draft.trigger];
  return (
    <form className="card rule-form" aria-label={rule ? `edit rule ${rule.name}` : 'new rule'} onSubmit={submit} noValidate>
      <h3>{rule ? `${t.edit}: ${rule.name}` : t.newRule}</h3>
      <div className="row">
        <label>{t.name}
          <input name="name" value={draft.name} onChange={(e) => set({ name: e.target.value })} placeholder="cart-reminder" />
          <small className="muted">{t.ruleNameHelp}</small>
          <FieldError issues={issues} path="name" />
        </label>
        <label>{t.trigger}
          <select name="trigger" value={draft.trigger} onChange={(e) => set({ trigger: e.target.value as Trigger })}>
            {RETARGETING_TRIGGERS.map((tr) => <option key={tr} value={tr}>{t[TRIGGERS[tr].label]}</option>)}
          </select>
        </label>
        {spec.params.map((p) => (
          <label key={p.key}>{t[p.label]}
            <input name={`params.${p.key}`} type="number" step={p.step} value={draft.params[p.key]} placeholder={`${t.defaultIs} ${p.fallback}`} onChange={(e) => setParam(p.key, e.target.value)} />
            <FieldError issues={issues} path={`params.${p.key}`} />
          </label>
        ))}
      </div>
      <div className="row">
        <label>{t.delay}
          <span className="row" style={{ margin: 0, gap: 4 }}>
            <input name="delay" type="number" min="0" value={draft.delay} style={{ width: 80 }} onChange={(e) => set({ delay: e.target.value })} />
            <select name="delayUnit" aria-label="delay unit" value={draft.delayUnit} onChange={(e) => set({ delayUnit: e.target.value as DelayUnit })}>
              {(['minutes', 'hours', 'days'] as const).map((u) => <option key={u} value={u}>{t[u]}</option>)}
            </select>
          </span>
          <FieldError issues={issues} path="delayMinutes" />
        </label>
        <label>{t.maxPerFollower}
          <input name="maxPerFollower" type="number" min="1" value={draft.maxPerFollower} style={{ width: 100 }} onChange={(e) => set({ maxPerFollower: e.target.value })} />
          <FieldError issues={issues} path="maxPerFollower" />
        </label>
        <label>{t.goal}
          <select name="conversionGoal" value={draft.conversionGoal} onChange={(e) => set({ conversionGoal: e.target.value as 'click' | 'purchase' })}>
            <option value="purchase">{t.purchase}</option><option value="click">{t.click}</option>
          </select>
        </label>
        <label>{t.attributionHours}
          <input name="attributionHours" type="number" min="1" value={draft.attributionHours} style={{ width: 100 }} onChange={(e) => set({ attributionHours: e.target.value })} />
          <FieldError issues={issues} path="attributionHours" />
        </label>
        <label>{t.ruleHoldoutPercent}
          <input name="holdoutPercent" aria-label="rule holdout" type="number" min="0" max="50" value={draft.holdoutPercent} style={{ width: 80 }} onChange={(e) => set({ holdoutPercent: e.target.value })} />
          <FieldError issues={issues} path="holdoutPercent" />
        </label>
        <label>{t.allocation}
          <select name="allocation" value={draft.allocation} onChange={(e) => set({ allocation: e.target.value as 'ab' | 'bandit' })}>
            <option value="bandit">{t.allocationBandit}</option><option value="ab">{t.allocationAb}</option>
          </select>
        </label>
        <label className="check"><input name="isEnabled" type="checkbox" checked={draft.isEnabled} onChange={(e) => set({ isEnabled: e.target.checked })} /> {t.enabled}</label>
      </div>
      <h4>{t.templates}</h4>
      <p className="muted" data-testid="template-variables">
        {t.templateVariables}: {spec.variables.map((v, i) => <span key={v}>{i > 0 && ' · '}<code>{`{${v}}`}</code> {t[VARIABLE_HELP[v]!]}</span>)}
        <br />{t.optOutNote}
      </p>
      {draft.variants.map((v, i) => (
        <div className="row" key={i}>
          <label>key
            <input aria-label={`rule variant ${i + 1} key`} value={v.key} style={{ width: 60 }} onChange={(e) => setVariant(i, { key: e.target.value })} />
            <FieldError issues={issues} path={`variants.${i}.key`} />
          </label>
          <label style={{ flex: 1 }}>中文 (zh-CN)
            <textarea aria-label={`rule variant ${i + 1} zh`} rows={2} value={v.zh} onChange={(e) => setVariant(i, { zh: e.target.value })} />
            <FieldError issues={issues} path={`variants.${i}.text.zh-CN`} />
          </label>
          <label style={{ flex: 1 }}>English (en)
            <textarea aria-label={`rule variant ${i + 1} en`} rows={2} value={v.en} onChange={(e) => setVariant(i, { en: e.target.value })} />
            <FieldError issues={issues} path={`variants.${i}.text.en`} />
          </label>
          {draft.variants.length > 1 && <button type="button" className="secondary" onClick={() => removeVariant(i)}>{t.removeVariant}</button>}
          <FieldError issues={issues} path={`variants.${i}.text`} />
        </div>
      ))}
      <FieldError issues={issues} path="variants" />
      <div className="row">
        <button type="button" className="secondary" onClick={addVariant} disabled={draft.variants.length >= 5}>{t.addVariant}</button>
        <span style={{ flex: 1 }} />
        <button type="button" className="secondary" onClick={onCancel}>{t.cancel}</button>
        <button type="submit" disabled={isSaving}>{rule ? t.save : t.create}</button>
      </div>
      {failure && <p className="error" role="alert">{failure.message}</p>}
    </form>
  );
}
