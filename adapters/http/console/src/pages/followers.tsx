import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';

interface Follower { id: string; displayName: string | null; locale: string; identities: { kind: string; externalId: string }[]; eventCount: number; lastSeenAt: string | null }
interface TimelineEvent { id: number; kind: string; platform: string; courseId: string | null; occurredAt: string }

export function FollowersPage() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [page, setPage] = useState<{ items: Follower[]; total: number } | null>(null);
  const [selected, setSelected] = useState<Follower | null>(null);
  const [persona, setPersona] = useState<unknown>(null);
  const [timeline, setTimeline] = useState<TimelineEvent[]>([]);
  const [message, setMessage] = useState('');

  const search = () => api<{ items: Follower[]; total: number }>('GET', `/followers?pageSize=50${q ? `&q=${encodeURIComponent(q)}` : ''}`).then(setPage, (e: Error) => setMessage(e.message));
  useEffect(() => { void search(); }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const open = async (f: Follower) => {
    setSelected(f);
    setPersona(await api('GET', `/followers/${f.id}/persona`).catch((e: Error) => ({ error: e.message })));
    setTimeline((await api<{ items: TimelineEvent[] }>('GET', `/followers/${f.id}/timeline?limit=50`)).items);
  };
  const exportData = async (f: Follower) => {
    const data = await api('GET', `/followers/${f.id}/export`);
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: `follower-${f.id}.json` });
    a.click();
    URL.revokeObjectURL(url);
  };
  const remove = async (f: Follower) => {
    if (!window.confirm(t.confirmDelete)) return;
    await api('DELETE', `/followers/${f.id}`);
    setSelected(null);
    await search();
  };

  return (
    <>
      <div className="row">
        <input placeholder={t.search} value={q} onChange={(e) => setQ(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && search()} />
        <button onClick={search}>{t.search}</button>
        {message && <span className="error">{message}</span>}
      </div>
      <div className="grid">
        <div className="card">
          {!page ? <p>{t.loading}</p> : page.items.length === 0 ? <p>{t.none}</p> : (
            <table>
              <thead><tr><th>{t.name}</th><th>ID</th><th>#</th></tr></thead>
              <tbody>
                {page.items.map((f) => (
                  <tr key={f.id} onClick={() => open(f)} style={{ cursor: 'pointer' }}>
                    <td>{f.displayName ?? '—'}</td>
                    <td>{f.identities.map((i) => <span className="pill" key={i.kind + i.externalId}>{i.kind}:{i.externalId}</span>)}</td>
                    <td>{f.eventCount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        {selected && (
          <div className="card">
            <h3>{selected.displayName ?? selected.id}</h3>
            <div className="row">
              <button className="secondary" onClick={() => exportData(selected)}>{t.export}</button>
              <button className="danger" onClick={() => remove(selected)}>{t.delete}</button>
            </div>
            <h4>{t.persona}</h4>
            <PersonaView persona={persona} />
            <h4>{t.timeline}</h4>
            <table><tbody>{timeline.map((e) => <tr key={e.id}><td>{new Date(e.occurredAt).toLocaleString()}</td><td>{e.kind}</td><td>{e.platform}</td></tr>)}</tbody></table>
          </div>
        )}
      </div>
    </>
  );
}

const show = (v: unknown): string => (typeof v === 'number' ? String(Math.round(v * 100) / 100) : typeof v === 'string' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));

/** The persona as the API gives it: tag lists as weighted pills, nested objects as small stat rows, the rest as text. */
function PersonaView({ persona }: { persona: unknown }) {
  if (!persona || typeof persona !== 'object') return null;
  const entries = Object.entries(persona as Record<string, unknown>).filter(([k]) => k !== 'followerId');
  return (
    <table data-testid="persona"><tbody>{entries.map(([key, value]) => (
      <tr key={key}>
        <th style={{ width: 130 }}>{key}</th>
        <td>
          {Array.isArray(value)
            ? (value.length === 0 ? '—' : value.map((item, i) => {
                const o = item as Record<string, unknown>;
                const label = typeof item === 'object' && item ? (o['tag'] ?? o['title'] ?? o['slug'] ?? o['courseId'] ?? JSON.stringify(item)) : item;
                const weight = typeof item === 'object' && item ? (o['weight'] ?? o['score']) : undefined;
                return <span className="pill" key={i}>{show(label)}{weight !== undefined ? ` · ${show(weight)}` : ''}</span>;
              }))
            : value && typeof value === 'object'
              ? <div className="stats">{Object.entries(value as Record<string, unknown>).map(([k, v]) => <div key={k}><span className="muted">{k}</span><strong style={{ fontSize: 14 }}>{Array.isArray(v) ? v.length : show(v)}</strong></div>)}</div>
              : show(value)}
        </td>
      </tr>
    ))}</tbody></table>
  );
}
