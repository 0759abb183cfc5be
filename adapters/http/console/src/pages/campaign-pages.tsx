import { useEffect, useState } from 'react';
import { api, isMissingRoute } from '../api.ts';
import { Coming } from '../app.tsx';
import { useI18n } from '../i18n.ts';

/** Lists what an endpoint returns, or 'coming' while the endpoint does not exist. */
function EndpointList({ path, render }: { path: string; render: (items: Record<string, unknown>[]) => React.ReactNode }) {
  const { t } = useI18n();
  const [state, setState] = useState<Record<string, unknown>[] | 'missing' | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api<unknown>('GET', path).then(
      (d) => setState(Array.isArray(d) ? d : ((d as { items?: Record<string, unknown>[] }).items ?? [])),
      (e) => (isMissingRoute(e) ? setState('missing') : setError((e as Error).message)),
    );
  }, [path]);
  if (state === 'missing') return <Coming />;
  if (error) return <p className="error">{error}</p>;
  if (!state) return <p>{t.loading}</p>;
  return state.length === 0 ? <p>{t.none}</p> : <>{render(state)}</>;
}

export function RetargetingPage() {
  return (
    <EndpointList
      path="/retargeting-rules"
      render={(rules) => (
        <div className="card"><table><tbody>{rules.map((r) => <tr key={String(r['id'] ?? r['name'])}><td>{String(r['name'] ?? r['id'])}</td><td>{String(r['trigger'] ?? r['kind'] ?? '')}</td><td>{r['isEnabled'] ? '🟢' : '⚪'}</td></tr>)}</tbody></table></div>
      )}
    />
  );
}

interface VariantResult { key: string; sent?: number; conversions?: number; rate?: number; interval?: [number, number] | { low: number; high: number } }

export function ExperimentsPage() {
  return (
    <EndpointList
      path="/experiments"
      render={(experiments) => (
        <>
          {experiments.map((x) => (
            <div className="card" key={String(x['id'] ?? x['name'])}>
              <h3>{String(x['name'] ?? x['id'])}</h3>
              <table>
                <tbody>
                  {((x['variants'] as VariantResult[] | undefined) ?? []).map((v) => {
                    const iv = Array.isArray(v.interval) ? v.interval : v.interval ? [v.interval.low, v.interval.high] : null;
                    return <tr key={v.key}><td>{v.key}</td><td>{v.sent ?? '—'}</td><td>{v.conversions ?? '—'}</td><td>{v.rate !== undefined ? `${(v.rate * 100).toFixed(1)}%` : '—'}</td><td>{iv ? `[${(iv[0]! * 100).toFixed(1)}%, ${(iv[1]! * 100).toFixed(1)}%]` : ''}</td></tr>;
                  })}
                </tbody>
              </table>
            </div>
          ))}
        </>
      )}
    />
  );
}
