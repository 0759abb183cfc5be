import { useEffect, useMemo, useState } from 'react';
import type { ChartConfiguration } from 'chart.js';
import { api, money } from '../api.ts';
import { fill, useI18n, type Messages } from '../i18n.ts';
import { currencyLabel, languageLabel, platformLabel, shorten, titleIn } from '../labels.ts';
import { ChartView } from './chart.tsx';

type Step = 'active' | 'engaged' | 'viewed' | 'checkout' | 'purchase';
interface Revenue { currency: string; amountMinor: number }
interface Dashboard {
  scope: 'all' | 'own_courses';
  followersByDay: { day: string; platform: string; newFollowers: number; total: number }[];
  funnel: { step: Step; followers: number; rate: number | null }[];
  revenueByDay: { day: string; currency: string; amountMinor: number; orders: number }[];
  revenueByCourse: { courseId: string; titleZh: string; titleEn: string; currency: string; amountMinor: number; orders: number }[];
  conversionBySegment: { platform: string; locale: string; followers: number; buyers: number; rate: number }[];
  topCourses: { courseId: string; titleZh: string; titleEn: string; views: number; purchases: number; revenue: Revenue[] }[];
}

const COLORS = ['#2f6fec', '#19a974', '#f0a500', '#d64545', '#7e57c2', '#00838f'];
const STEP_LABEL: Record<Step, keyof Messages> = { active: 'funnelActive', engaged: 'funnelEngaged', viewed: 'funnelViewed', checkout: 'funnelCheckout', purchase: 'funnelPurchase' };
const majorUnits = (amountMinor: number, currency: string) => (currency === 'XTR' ? amountMinor : amountMinor / 100);
const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;

/** The funnel as bars, each step with its count and its rate from the step before. */
function Funnel({ steps }: { steps: Dashboard['funnel'] }) {
  const { t } = useI18n();
  const top = Math.max(1, steps[0]?.followers ?? 0);
  return (
    <div data-testid="funnel">
      <p className="muted">{t.funnelHelp}</p>
      {steps.map((s) => (
        <div className="funnel-step" key={s.step} data-step={s.step}>
          <span className="funnel-label">{t[STEP_LABEL[s.step]] as string}</span>
          <div className="funnel-bar"><span style={{ width: `${(s.followers / top) * 100}%` }} /></div>
          <strong>{s.followers}</strong>
          <small className="muted">{s.rate === null ? '' : fill(t.funnelRate, { rate: pct(s.rate) })}</small>
        </div>
      ))}
    </div>
  );
}

export function DashboardPage() {
  const { t, lang } = useI18n();
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api<Dashboard>('GET', '/dashboard').then(setData, (e: Error) => setError(e.message));
  }, []);

  const charts = useMemo(() => {
    if (!data) return null;
    const days = [...new Set(data.followersByDay.map((r) => r.day))].sort();
    const platforms = [...new Set(data.followersByDay.map((r) => r.platform))];
    const followers: ChartConfiguration = {
      type: 'line',
      data: {
        labels: days,
        datasets: platforms.map((p, i) => ({
          label: platformLabel(p, t),
          borderColor: COLORS[i % COLORS.length],
          data: days.map((d) => data.followersByDay.filter((r) => r.platform === p && r.day <= d).at(-1)?.total ?? 0),
        })),
      },
    };
    // One chart per currency: yuan and Stars never share an axis.
    const currencies = [...new Set([...data.revenueByDay.map((r) => r.currency), ...data.revenueByCourse.map((r) => r.currency)])].sort();
    const revenueDays = [...new Set(data.revenueByDay.map((r) => r.day))].sort();
    const revenue = currencies.map((c, i) => {
      const byDay: ChartConfiguration = {
        type: 'bar',
        data: {
          labels: revenueDays,
          datasets: [{ label: currencyLabel(c, t), backgroundColor: COLORS[i % COLORS.length], data: revenueDays.map((d) => majorUnits(data.revenueByDay.find((r) => r.day === d && r.currency === c)?.amountMinor ?? 0, c)) }],
        },
      };
      const courses = data.revenueByCourse.filter((r) => r.currency === c);
      const byCourse: ChartConfiguration = {
        type: 'bar',
        data: {
          labels: courses.map((r) => shorten(titleIn(lang, r))),
          datasets: [{ label: currencyLabel(c, t), backgroundColor: COLORS[(i + 1) % COLORS.length], data: courses.map((r) => majorUnits(r.amountMinor, c)) }],
        },
        options: { indexAxis: 'y' },
      };
      return { currency: c, byDay, byCourse };
    });
    const segments: ChartConfiguration = {
      type: 'bar',
      data: {
        labels: data.conversionBySegment.map((s) => fill(t.segmentLabel, { platform: platformLabel(s.platform, t), language: languageLabel(s.locale, t) })),
        datasets: [{ label: `${t.rate} %`, data: data.conversionBySegment.map((s) => +(s.rate * 100).toFixed(2)), backgroundColor: COLORS[2] }],
      },
    };
    return { followers, revenue, segments };
  }, [data, t, lang]);

  if (error) return <p className="error">{error}</p>;
  if (!data || !charts) return <p>{t.loading}</p>;
  return (
    <>
      <div className="row" data-testid="dashboard-head">
        <span className="muted" style={{ flex: 1 }}>{t.period}{data.scope === 'own_courses' ? ` · ${t.ownDataOnly}` : ''}</span>
        <a className="button secondary" href="/api/exports/orders.csv" download>{t.exportOrders}</a>
        <a className="button secondary" href="/api/exports/revenue.csv?by=course" download>{t.exportRevenue}</a>
        <a className="button secondary" href="/api/exports/learners.csv" download>{t.exportLearners}</a>
      </div>
      <div className="grid">
        <div className="card"><h3>{t.followersOverTime}</h3>{data.followersByDay.length === 0 ? <p>{t.none}</p> : <ChartView config={charts.followers} label={t.followersOverTime} />}</div>
        <div className="card"><h3>{t.funnel}</h3><Funnel steps={data.funnel} /></div>
        {charts.revenue.length === 0 && <div className="card"><h3>{t.revenueByDay}</h3><p>{t.noRevenue}</p></div>}
        {charts.revenue.map((r) => (
          <div className="card" key={`day-${r.currency}`} data-revenue-currency={r.currency}>
            <h3>{fill(t.revenueIn, { label: currencyLabel(r.currency, t) })}</h3>
            <ChartView config={r.byDay} label={fill(t.revenueIn, { label: currencyLabel(r.currency, t) })} />
          </div>
        ))}
        {charts.revenue.map((r) => (
          <div className="card" key={`course-${r.currency}`} data-course-revenue-currency={r.currency}>
            <h3>{fill(t.revenueByCourseIn, { label: currencyLabel(r.currency, t) })}</h3>
            <ChartView config={r.byCourse} label={fill(t.revenueByCourseIn, { label: currencyLabel(r.currency, t) })} />
          </div>
        ))}
        <div className="card">
          <h3>{t.conversionBySegment}</h3>
          {data.conversionBySegment.length === 0 ? <p>{t.none}</p> : (
            <>
              <ChartView config={charts.segments} label={t.conversionBySegment} />
              <p className="muted" data-testid="segments">{data.conversionBySegment.map((s) => (
                <span className="pill" key={`${s.platform}-${s.locale}`}>
                  {fill(t.segmentLabel, { platform: platformLabel(s.platform, t), language: languageLabel(s.locale, t) })}: {fill(t.buyersOf, { buyers: String(s.buyers), followers: String(s.followers) })}
                </span>
              ))}</p>
            </>
          )}
        </div>
        <div className="card">
          <h3>{t.topCourses}</h3>
          {data.topCourses.length === 0 ? <p>{t.none}</p> : (
            <table data-testid="top-courses">
              <thead><tr><th>{t.courses}</th><th>{t.views}</th><th>{t.purchases}</th><th>{t.revenue}</th></tr></thead>
              <tbody>{data.topCourses.map((c) => (
                <tr key={c.courseId}>
                  <td>{titleIn(lang, c)}</td><td>{c.views}</td><td>{c.purchases}</td>
                  <td>{c.revenue.length === 0 ? '—' : c.revenue.map((r) => money(r.amountMinor, r.currency)).join(' · ')}</td>
                </tr>
              ))}</tbody>
            </table>
          )}
        </div>
      </div>
    </>
  );
}
