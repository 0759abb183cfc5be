import { useEffect, useState, type FormEvent } from 'react';
import { api, issuesByPath, money } from '../api.ts';
import { fill, useI18n } from '../i18n.ts';
import { RECOMMENDER_EXPERIMENT_MESSAGES } from '../recommender-experiment-texts.ts';
import { FieldError } from './field-error.tsx';
import { MIN_SENDS_PER_VARIANT, ResultsTable } from './results-table.tsx';

interface Word { name: string; zh: string; en: string }
interface Vocabulary { generators: Word[]; features: Word[] }
interface Experiment {
  id: string; name: string; status: 'draft' | 'running' | 'stopped'; attributionHours: number; startedAt: string | null; stoppedAt: string | null;
  variants: Array<{ key: string; label: string; sharePercent: number; descriptionZh: string; descriptionEn: string }>;
}
interface Outcome { variant: string; lists: number; clicks: number; checkouts: number; purchases: number; revenue: Array<{ currency: string; amountMinor: number }> }

/** One variant as the form holds it: generators on (all by default), weights as typed. */
interface DraftVariant { label: string; share: string; ranker: 'served' | 'untrained_blend'; lambda: string; generatorsOn: string[]; weights: Record<string, string> }

const KEYS = ['A', 'B', 'C', 'D'];

function newVariant(vocabulary: Vocabulary, share: string): DraftVariant {
  return { label: '', share, ranker: 'served', lambda: '', generatorsOn: vocabulary.generators.map((g) => g.name), weights: {} };
}

/** The request a draft variant makes: only what differs from production is sent. */
function toRequest(v: DraftVariant, vocabulary: Vocabulary) {
  const weights = Object.fromEntries(Object.entries(v.weights).filter(([, w]) => w.trim() !== '').map(([f, w]) => [f, Number(w)]));
  return {
    label: v.label, sharePercent: Number(v.share), ranker: v.ranker,
    ...(v.lambda.trim() === '' ? {} : { mmrLambda: Number(v.lambda) }),
    disabledGenerators: vocabulary.generators.map((g) => g.name).filter((g) => !v.generatorsOn.includes(g)),
    ...(v.ranker === 'untrained_blend' && Object.keys(weights).length ? { blendWeights: weights } : {}),
  };
}

/** The form: name, window, 2–4 variants each with share, ranker, diversity, generators and (for the blend) weights. */
function NewExperimentForm({ vocabulary, onCreated }: { vocabulary: Vocabulary; onCreated: (name: string) => void }) {
  const { lang } = useI18n();
  const r = RECOMMENDER_EXPERIMENT_MESSAGES[lang];
  const [variants, setVariants] = useState<DraftVariant[]>(() => [newVariant(vocabulary, '50'), newVariant(vocabulary, '50')]);
  const [error, setError] = useState('');
  const [issues, setIssues] = useState<Record<string, string>>({});
  const word = (w: Word) => (lang === 'zh-CN' ? w.zh : w.en);
  const change = (i: number, patch: Partial<DraftVariant>) => setVariants((all) => all.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const sum = variants.reduce((s, v) => s + Number(v.share || 0), 0);
    if (sum !== 100) return setError(fill(r.sharesMustAddUp, { sum: String(sum) }));
    const name = String(f.get('name') ?? '');
    api('POST', '/recommender-experiments', { name, attributionHours: Number(f.get('attributionHours')), variants: variants.map((v) => toRequest(v, vocabulary)) }).then(() => {
      form.reset();
      setVariants([newVariant(vocabulary, '50'), newVariant(vocabulary, '50')]);
      setError('');
      setIssues({});
      onCreated(name);
    }, (err: Error) => { setError(err.message); setIssues(issuesByPath(err)); });
  };
  return (
    <form className="card" onSubmit={submit} data-testid="new-recommender-experiment">
      <h3>{r.newExperiment}</h3>
      <div className="row">
        <label>{r.name}<input name="name" required maxLength={120} /><FieldError issues={issues} path="name" /></label>
        <label>{r.attributionHours}<input name="attributionHours" type="number" min={1} max={720} defaultValue={72} required /></label>
      </div>
      {variants.map((v, i) => (
        <fieldset key={i} data-variant={KEYS[i]}>
          <legend>{fill(r.variant, { key: KEYS[i]! })}{i === 0 ? r.control : ''}</legend>
          <div className="row">
            <label>{r.label}<input value={v.label} maxLength={80} onChange={(e) => change(i, { label: e.target.value })} /></label>
            <label>{r.share}<input type="number" min={1} max={99} required value={v.share} onChange={(e) => change(i, { share: e.target.value })} /></label>
            <label>{r.ranker}
              <select value={v.ranker} onChange={(e) => change(i, { ranker: e.target.value as DraftVariant['ranker'] })}>
                <option value="served">{r.rankerServed}</option>
                <option value="untrained_blend">{r.rankerBlend}</option>
              </select>
            </label>
            <label>{r.diversity}<input type="number" min={0} max={1} step={0.05} value={v.lambda} onChange={(e) => change(i, { lambda: e.target.value })} /></label>
          </div>
          <p className="muted">{r.generatorsOn}</p>
          <div className="row">
            {vocabulary.generators.map((g) => (
              <label className="check" key={g.name}>
                <input type="checkbox" checked={v.generatorsOn.includes(g.name)}
                  onChange={(e) => change(i, { generatorsOn: e.target.checked ? [...v.generatorsOn, g.name] : v.generatorsOn.filter((n) => n !== g.name) })} /> {word(g)}
              </label>
            ))}
          </div>
          {v.ranker === 'untrained_blend' && (
            <>
              <p className="muted">{r.weights}</p>
              <div className="row">
                {vocabulary.features.map((feature) => (
                  <label key={feature.name}>{word(feature)}
                    <input type="number" step={0.1} min={-10} max={10} value={v.weights[feature.name] ?? ''} onChange={(e) => change(i, { weights: { ...v.weights, [feature.name]: e.target.value } })} />
                  </label>
                ))}
              </div>
            </>
          )}
          <FieldError issues={issues} path={`variants.${i}.blendWeights`} />
          {variants.length > 2 && <button type="button" className="secondary" onClick={() => setVariants((all) => all.filter((_, j) => j !== i))}>{r.removeVariant}</button>}
        </fieldset>
      ))}
      <div className="row">
        {variants.length < 4 && <button type="button" className="secondary" onClick={() => setVariants((all) => [...all, newVariant(vocabulary, '0')])}>{r.addVariant}</button>}
        <button type="submit">{r.create}</button>
        {error && <span className="error" role="alert">{error}</span>}
      </div>
    </form>
  );
}

/** Clicks, checkouts, purchases and revenue per currency for each variant, under the shared results table. */
function Outcomes({ id }: { id: string }) {
  const { lang } = useI18n();
  const r = RECOMMENDER_EXPERIMENT_MESSAGES[lang];
  const [outcomes, setOutcomes] = useState<Outcome[] | null>(null);
  useEffect(() => { api<{ outcomes: Outcome[] }>('GET', `/recommender-experiments/${id}/results`).then((d) => setOutcomes(d.outcomes), () => setOutcomes([])); }, [id]);
  if (!outcomes?.length) return null;
  return (
    <table data-testid={`outcomes-${id}`} aria-label={r.outcomes}>
      <caption>{r.outcomes}</caption>
      <thead><tr><th>{r.variantHeader}</th><th>{r.lists}</th><th>{r.clicks}</th><th>{r.checkouts}</th><th>{r.purchases}</th><th>{r.revenue}</th></tr></thead>
      <tbody>
        {outcomes.map((o) => (
          <tr key={o.variant} data-variant={o.variant}>
            <td><strong>{o.variant}</strong></td><td>{o.lists}</td><td>{o.clicks}</td><td>{o.checkouts}</td><td>{o.purchases}</td>
            <td>{o.revenue.length ? o.revenue.map((x) => money(x.amountMinor, x.currency)).join(' · ') : r.noRevenue}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Recommender experiments: create one, start or stop it, and read its results per variant on the same table as broadcasts. */
export function RecommenderExperimentsPage() {
  const { lang } = useI18n();
  const r = RECOMMENDER_EXPERIMENT_MESSAGES[lang];
  const [data, setData] = useState<{ items: Experiment[]; vocabulary: Vocabulary } | null>(null);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const fail = (e: Error) => setNotice({ ok: false, text: e.message });
  const load = () => api<{ items: Experiment[]; vocabulary: Vocabulary }>('GET', '/recommender-experiments?limit=20').then(setData, fail);
  useEffect(() => { void load(); }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const control = (x: Experiment, command: 'start' | 'stop') =>
    api('POST', `/recommender-experiments/${x.id}/${command}`).then(() => { setNotice({ ok: true, text: fill(command === 'start' ? r.started : r.stopped, { name: x.name }) }); return load(); }, fail);
  if (!data) return notice ? <p className="error">{notice.text}</p> : <p>{r.loading}</p>;
  const when = (iso: string) => new Date(iso).toLocaleString(lang);
  return (
    <>
      <p className="muted">{r.help}</p>
      {notice && <p className={notice.ok ? 'ok' : 'error'} role={notice.ok ? 'status' : 'alert'}>{notice.text}</p>}
      <NewExperimentForm vocabulary={data.vocabulary} onCreated={(name) => { setNotice({ ok: true, text: fill(r.created, { name }) }); void load(); }} />
      {data.items.length === 0 && <p>{r.none}</p>}
      {data.items.map((x) => (
        <div className="card" key={x.id} data-recommender-experiment={x.name}>
          <h3>{x.name} <span className="pill">{r.status[x.status]}</span></h3>
          <p className="muted">
            {[fill(r.window, { hours: String(x.attributionHours) }), x.startedAt && fill(r.startedAt, { at: when(x.startedAt) }), x.stoppedAt && fill(r.stoppedAt, { at: when(x.stoppedAt) })].filter(Boolean).join(' · ')}
          </p>
          <ul>
            {x.variants.map((v) => (
              <li key={v.key} data-variant={v.key}>
                <strong>{fill(r.variant, { key: v.key })}{v.key === 'A' ? r.control : ''}</strong>{v.label ? ` “${v.label}”` : ''} · {v.sharePercent}% · {lang === 'zh-CN' ? v.descriptionZh : v.descriptionEn}
              </li>
            ))}
          </ul>
          <div className="row">
            {x.status === 'draft' && <button onClick={() => control(x, 'start')}>{r.start}</button>}
            {x.status === 'running' && <button className="danger" onClick={() => control(x, 'stop')}>{r.stop}</button>}
          </div>
          {x.status !== 'draft' && (
            <>
              <ResultsTable path={`/recommender-experiments/${x.id}/results`} testId={`results-${x.name}`} texts={r.results} />
              <Outcomes id={x.id} />
              <p className="muted">{fill(r.minSample, { min: String(MIN_SENDS_PER_VARIANT) })}</p>
            </>
          )}
        </div>
      ))}
    </>
  );
}
