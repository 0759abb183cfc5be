import { useEffect, useState } from 'react';
import { api, isMissingRoute } from '../api.ts';
import { Coming } from '../app.tsx';
import { useI18n } from '../i18n.ts';

interface Variant { key: string; zh: string; en: string }

export function BroadcastsPage() {
  const { t } = useI18n();
  const [isAvailable, setIsAvailable] = useState<boolean | null>(null);
  const [name, setName] = useState('');
  const [platforms, setPlatforms] = useState<string[]>([]);
  const [tags, setTags] = useState('');
  const [variants, setVariants] = useState<Variant[]>([{ key: 'A', zh: '', en: '' }]);
  const [sendAt, setSendAt] = useState('');
  const [preview, setPreview] = useState<unknown>(null);
  const [broadcastId, setBroadcastId] = useState<string | null>(null);
  const [progress, setProgress] = useState<unknown>(null);
  const [error, setError] = useState('');

  const segment = () => ({
    ...(platforms.length ? { platforms } : {}),
    ...(tags.trim() ? { interestTags: tags.split(/[,，\s]+/).filter(Boolean) } : {}),
  });
  // The composer needs the campaigns API; a missing route means it has not shipped yet.
  useEffect(() => {
    api('POST', '/segments/preview', { segment: {} }).then(() => setIsAvailable(true), (e) => setIsAvailable(!isMissingRoute(e)));
  }, []);
  useEffect(() => {
    if (!broadcastId) return;
    const poll = () => api('GET', `/broadcasts/${broadcastId}`).then(setProgress, (e: Error) => setError(e.message));
    void poll();
    const timer = setInterval(poll, 2000);
    return () => clearInterval(timer);
  }, [broadcastId]);

  if (isAvailable === null) return <p>{t.loading}</p>;
  if (!isAvailable) return <Coming />;
  const doPreview = () => api('POST', '/segments/preview', { segment: segment() }).then(setPreview, (e: Error) => setError(e.message));
  const send = () =>
    api<{ id: string }>('POST', '/broadcasts', {
      name,
      segment: segment(),
      variants: variants.map((v) => ({ key: v.key, text: { ...(v.zh ? { 'zh-CN': v.zh } : {}), ...(v.en ? { en: v.en } : {}) } })),
      sendTime: sendAt ? { mode: 'at', at: new Date(sendAt).toISOString() } : { mode: 'now' },
    }).then((b) => { setError(''); setBroadcastId(b.id); }, (e: Error) => setError(e.message));

  const count = (preview as { count?: number; size?: number; total?: number } | null);
  return (
    <>
      <div className="card">
        <div className="row">
          <label>{t.name}<input aria-label="broadcast name" value={name} onChange={(e) => setName(e.target.value)} /></label>
          {['telegram', 'wechat'].map((p) => (
            <label key={p} style={{ flexDirection: 'row', alignItems: 'center' }}>
              <input type="checkbox" checked={platforms.includes(p)} onChange={(e) => setPlatforms(e.target.checked ? [...platforms, p] : platforms.filter((x) => x !== p))} /> {p}
            </label>
          ))}
          <label>tags<input aria-label="interest tags" value={tags} onChange={(e) => setTags(e.target.value)} placeholder="python, photography" /></label>
          <button className="secondary" onClick={doPreview}>{t.preview}</button>
        </div>
        {preview !== null && (
          <p data-testid="audience-preview">{t.matched}: <strong>{count?.count ?? count?.size ?? count?.total ?? '?'}</strong></p>
        )}
        {preview !== null && <pre>{JSON.stringify(preview, null, 2)}</pre>}
      </div>
      <div className="card">
        <h3>{t.variants}</h3>
        {variants.map((v, i) => (
          <div className="row" key={i}>
            <label>key<input value={v.key} style={{ width: 60 }} onChange={(e) => setVariants(variants.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} /></label>
            <label style={{ flex: 1 }}>中文<textarea aria-label={`variant ${v.key} zh`} value={v.zh} onChange={(e) => setVariants(variants.map((x, j) => (j === i ? { ...x, zh: e.target.value } : x)))} /></label>
            <label style={{ flex: 1 }}>English<textarea aria-label={`variant ${v.key} en`} value={v.en} onChange={(e) => setVariants(variants.map((x, j) => (j === i ? { ...x, en: e.target.value } : x)))} /></label>
          </div>
        ))}
        <div className="row">
          <button className="secondary" onClick={() => setVariants([...variants, { key: String.fromCharCode(65 + variants.length), zh: '', en: '' }])} disabled={variants.length >= 5}>{t.addVariant}</button>
          <label>{t.scheduleAt}<input type="datetime-local" value={sendAt} onChange={(e) => setSendAt(e.target.value)} /></label>
          <button onClick={send} disabled={!name}>{t.send}</button>
        </div>
        {error && <p className="error">{error}</p>}
      </div>
      {broadcastId && (
        <div className="card" data-testid="broadcast-progress">
          <h3>{t.progress}</h3>
          <pre>{JSON.stringify(progress, null, 2)}</pre>
        </div>
      )}
    </>
  );
}
