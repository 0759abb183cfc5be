import { useEffect, useState } from 'react';
import { api, money } from '../api.ts';
import { fill, useI18n, type Messages } from '../i18n.ts';
import type { Incremental, Results, VariantResult } from './campaign-types.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const points = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

/** A broadcast's incremental effect in sentences: each arm, the lift with its interval, added buyers and revenue per currency. */
function IncrementalPanel({ incremental }: { incremental: Incremental }) {
  const { t } = useI18n();
  const { sent, heldOut, lift, incrementalBuyers } = incremental;
  return (
    <div className="card" data-testid="incremental">
      <h4>{t.incremental}</h4>
      {lift === null ? <p className="muted">{t.incrementalNone}</p> : (
        <>
          <p>{fill(t.incrementalSent, { n: String(sent.members), buyers: String(sent.buyers), rate: pct(sent.rate) })}</p>
          <p>{fill(t.incrementalHeld, { n: String(heldOut.members), buyers: String(heldOut.buyers), rate: pct(heldOut.rate) })}</p>
          <p><strong>{fill(t.incrementalLift, { lift: points(lift.absolute), low: points(lift.interval[0]), high: points(lift.interval[1]) })}</strong></p>
          {incrementalBuyers && <p>{fill(t.incrementalBuyers, { n: incrementalBuyers.estimate.toFixed(1), low: incrementalBuyers.interval[0].toFixed(1), high: incrementalBuyers.interval[1].toFixed(1) })}</p>}
          {incremental.incrementalRevenue.map((r) => (
            <p key={r.currency}>{fill(t.incrementalRevenue, { currency: r.currency, amount: money(r.estimateMinor, r.currency), low: money(r.intervalMinor[0], r.currency), high: money(r.intervalMinor[1], r.currency) })}</p>
          ))}
        </>
      )}
    </div>
  );
}

/** Sends each variant needs before the console calls a winner (or shows a chance of being best): fewer than this and the numbers are noise. */
export const MIN_SENDS_PER_VARIANT = 100;

/** The words of the table and verdict another kind of experiment may replace (a recommender experiment counts followers shown a list, not messages sent). */
export type ResultsTexts = Partial<Pick<Messages, 'sent' | 'verdictNothingSent' | 'verdictTooEarly' | 'verdictOne' | 'verdictWinner' | 'verdictLikely' | 'verdictUnclear'>>;

/** The result in sentences: too early, one variant, or the leader against the runner-up with its chance and what to do. */
function Verdict({ results, t }: { results: Results; t: Messages }) {
  const { lang } = useI18n();
  const variants = results.variants;
  let text: string;
  if (variants.length === 0 || variants.every((v) => v.sent === 0)) text = t.verdictNothingSent;
  else if (variants.length === 1) text = fill(t.verdictOne, { sent: String(variants[0]!.sent), conversions: String(variants[0]!.conversions), rate: pct(variants[0]!.conversionRate) });
  else {
    const smallest = variants.reduce((a, b) => (b.sent < a.sent ? b : a));
    if (smallest.sent < MIN_SENDS_PER_VARIANT) text = fill(t.verdictTooEarly, { min: String(MIN_SENDS_PER_VARIANT), variant: smallest.variant, sent: String(smallest.sent) });
    else {
      const [best, other] = [...variants].sort((a, b) => b.probabilityBest - a.probabilityBest) as [VariantResult, VariantResult];
      const values = { best: best.variant, other: other.variant, bestRate: pct(best.conversionRate), otherRate: pct(other.conversionRate), chance: pct(best.probabilityBest) };
      const advice = best.probabilityBest >= 0.95 ? t.verdictWinner : best.probabilityBest >= 0.8 ? t.verdictLikely : t.verdictUnclear;
      text = `${fill(t.verdictCompare, values)}${lang === 'en' ? ' ' : ''}${fill(advice, values)}`;
    }
  }
  return <p className="sentence" data-testid="verdict"><strong>{text}</strong></p>;
}

/** Per-variant experiment results: a verdict in words, then sent, conversions, rate with its likely range drawn as a bar, chance of being best, difference from the first variant. */
export function ResultsTable({ path, testId, texts }: { path: string; testId?: string; texts?: ResultsTexts }) {
  const { t: messages, lang } = useI18n();
  const t = texts ? { ...messages, ...texts } : messages;
  const [results, setResults] = useState<Results | null>(null);
  const [error, setError] = useState('');
  useEffect(() => { api<Results>('GET', path).then(setResults, (e: Error) => setError(e.message)); }, [path]);
  if (error) return <p className="error">{error}</p>;
  if (!results) return <p>{t.loading}</p>;
  const top = Math.max(0.05, ...results.variants.map((v) => v.credibleInterval[1]));
  const pickLabel = { fixed: t.pickFixed, recommended: t.pickRecommended, cross_sell: t.pickCrossSell, next_in_path: t.pickNextInPath } as const;
  const picks = (results.picks ?? []).filter((p) => p.courseId !== null);
  const total = Math.max(1, ...picks.map((p) => p.sent));
  const control = results.variants[0]?.variant;
  const isSampleEnough = results.variants.length > 1 && results.variants.every((v) => v.sent >= MIN_SENDS_PER_VARIANT);
  return (
    <>
    <Verdict results={results} t={t} />
    <table data-testid={testId}>
      <thead><tr><th>{t.variant}</th><th>{t.sent}</th><th>{t.conversions}</th><th>{t.rate}</th><th>{t.likelyRange}</th><th>{t.chanceBest}</th><th>{fill(t.diffFromControl, { control: control ?? '—' })}</th></tr></thead>
      <tbody>
        {results.variants.map((v) => (
          <tr key={v.variant} data-variant={v.variant}>
            <td><strong>{v.variant}</strong></td>
            <td>{v.sent}</td>
            <td>{v.conversions}</td>
            <td>{pct(v.conversionRate)}</td>
            <td>{v.sent === 0 ? '—' : <>
              <div className="interval" title={`${pct(v.credibleInterval[0])} – ${pct(v.credibleInterval[1])}`}>
                <span style={{ left: `${(v.credibleInterval[0] / top) * 100}%`, width: `${Math.max(1, ((v.credibleInterval[1] - v.credibleInterval[0]) / top) * 100)}%` }} />
              </div>
              <small>[{pct(v.credibleInterval[0])}, {pct(v.credibleInterval[1])}]</small>
            </>}</td>
            <td>{isSampleEnough ? pct(v.probabilityBest) : '—'}</td>
            <td>{v.versusControl && isSampleEnough ? (v.versusControl.isSignificant ? t.clearlyDifferent : t.notClearlyDifferent) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
    {results.incremental && <IncrementalPanel incremental={results.incremental} />}
    {picks.length > 0 && (
      <table data-testid={testId ? `${testId}-picks` : undefined} aria-label={t.picksByCourse}>
        <caption>{t.picksByCourse}</caption>
        <thead><tr><th>{t.variant}</th><th>{t.courses}</th><th>{t.courseOnCard}</th><th>{t.sent}</th><th>{t.conversions}</th><th>{t.rate}</th></tr></thead>
        <tbody>
          {picks.map((p) => (
            <tr key={`${p.variant}:${p.courseId}:${p.pick}`} data-pick-course={p.titleEn ?? ''}>
              <td>{p.variant}</td>
              <td>{(lang === 'zh-CN' ? p.titleZh : p.titleEn) ?? '—'}</td>
              <td>{p.pick ? pickLabel[p.pick] : '—'}</td>
              <td><div className="interval"><span style={{ left: 0, width: `${(p.sent / total) * 100}%` }} /></div><small>{p.sent}</small></td>
              <td>{p.conversions}</td>
              <td>{pct(p.rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
    </>
  );
}
