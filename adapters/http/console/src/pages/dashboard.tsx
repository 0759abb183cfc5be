import { useEffect, useMemo, useState } from 'react';
import type { ChartConfiguration } from 'chart.js';
import { api, money } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ChartView } from './chart.tsx';

interface Dashboard {
  followersByDay: { day: string; platform: string; newFollowers: number; total: number }[];
  funnel: { step: 'follow' | 'engaged' | 'viewed' | 'checkout' | 'purchase'; followers: number }[];
  revenueByDay: { day: string; currency: string; amountMinor: number; orders: number }[];
  revenueByCourse: { courseId: string; title: string; currency: string; amountMinor: number; orders: number }[];
  conversionBySegment: { segment: string; followers: number; buyers: number; rate: number }[];
  topCourses: { courseId: string; title: string; views: number; purchases: number; amountMinor: number; currency: string }[];
}

const COLORS = ['#2f6fec', '#19a974', '#f0a500', '#d64545', '#7e57c2', '#00838f'];

export function DashboardPage() {
  const { t } = useI18n();
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
          label: p,
          borderColor: COLORS[i % COLORS.length],
          data: days.map((d) => data.followersByDay.filter((r) => r.platform === p && r.day <= d).at(-1)?.total ?? 0),
        })),
      },
    };
    const stepLabel = { follow: t.followUp, engaged: t.engaged, viewed: t.viewed, checkout: t.checkout, purchase: t.purchase };
    const funnel: ChartConfiguration = {
      type: 'bar',
      data: { labels: data.funnel.map((s) => stepLabel[s.step]), datasets: [{ label: t.followers, data: data.funnel.map((s) => s.followers), backgroundColor: COLORS[0] }] },
      options: { indexAxis: 'y' },
    };
    const revenueDays = [...new Set(data.revenueByDay.map((r) => r.day))].sort();
    const currencies = [...new Set(data.revenueByDay.map((r) => r.currency))];
    const revenue: ChartConfiguration = {
      type: 'bar',
      data: {
        labels: revenueDays,
        datasets: currencies.map((c, i) => ({
          label: c === 'XTR' ? 'Stars' : `${c} (major units)`,
          backgroundColor: COLORS[i % COLORS.length],
          data: revenueDays.map((d) => (data.revenueByDay.find((r) => r.day === d && r.currency === c)?.amountMinor ?? 0) / (c === 'XTR' ? 1 : 100)),
        })),
      },
    };
    const byCourse: ChartConfiguration = {
      type: 'bar',
      data: {
        labels: data.revenueByCourse.map((r) => `${r.title} (${r.currency})`),
        datasets: [{ label: t.revenue, data: data.revenueByCourse.map((r) => r.amountMinor / (r.currency === 'XTR' ? 1 : 100)), backgroundColor: COLORS[1] }],
      },
    };
    const segments: ChartConfiguration = {
      type: 'bar',
      data: { labels: data.conversionBySegment.map((s) => s.segment), datasets: [{ label: `${t.rate} %`, data: data.conversionBySegment.map((s) => +(s.rate * 100).toFixed(2)), backgroundColor: COLORS[2] }] },
    };
    return { followers, funnel, revenue, byCourse, segments };
  }, [data, t]);

  if (error) return <p className="error">{error}</p>;
  if (!data || !charts) return <p>{t.loading}</p>;
  return (
    <>
      <div className="grid">
        <div className="card"><h3>{t.followersOverTime}</h3><ChartView config={charts.followers} label={t.followersOverTime} /></div>
        <div className="card"><h3>{t.funnel}</h3><ChartView config={charts.funnel} label={t.funnel} /></div>
        <div className="card"><h3>{t.revenueByDay}</h3><ChartView config={charts.revenue} label={t.revenueByDay} /></div>
        <div className="card"><h3>{t.revenueByCourse}</h3><ChartView config={charts.byCourse} label={t.revenueByCourse} /></div>
        <div className="card"><h3>{t.conversionBySegment}</h3><ChartView config={charts.segments} label={t.conversionBySegment} /></div>
        <div className="card">
          <h3>{t.topCourses}</h3>
          {data.topCourses.length === 0 ? <p>{t.none}</p> : (
            <table>
              <thead><tr><th>{t.courses}</th><th>{t.views}</th><th>{t.purchases}</th><th>{t.revenue}</th></tr></thead>
              <tbody>{data.topCourses.map((c) => <tr key={c.courseId}><td>{c.title}</td><td>{c.views}</td><td>{c.purchases}</td><td>{money(c.amountMinor, c.currency)}</td></tr>)}</tbody>
            </table>
          )}
        </div>
      </div>
    </>
  );
}
