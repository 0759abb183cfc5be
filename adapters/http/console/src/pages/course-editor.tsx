import { useEffect, useState, type FormEvent } from 'react';
import { api, issuesByPath } from '../api.ts';
import { fill, useI18n } from '../i18n.ts';
import { FieldError } from './field-error.tsx';

type Pacing = { kind: 'self_paced' } | { kind: 'drip'; everyDays: number } | { kind: 'cohort'; startsAt: string; enrolmentClosesAt: string | null };
interface Price { amount: string; currency: string; amountMinor: number }
export interface EditableCourse {
  id: string; slug: string; titleZh: string; titleEn: string; descriptionZh: string; descriptionEn: string; tags: string[]; coverUrl: string | null;
  teacherName: string; pacing: Pacing; telegramChatId: string | null; prices: { wechat: Price; telegram: Price | null };
}
interface Lesson { id: string; titleZh: string; titleEn: string; estimatedMinutes: number | null; isFreePreview: boolean; media: { kind: string; url: string } | null }
interface Chapter { id: string; titleZh: string; titleEn: string; lessons: Lesson[] }

const text = (f: FormData, name: string) => String(f.get(name) ?? '').trim();
const orNull = (value: string) => (value === '' ? null : value);
/** `datetime-local` input value ↔ ISO instant in the editor's own zone. */
const toLocalInput = (iso: string | null | undefined) => (iso ? new Date(new Date(iso).getTime() - new Date(iso).getTimezoneOffset() * 60_000).toISOString().slice(0, 16) : '');
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : null);

function pacingOf(f: FormData): Pacing {
  const kind = text(f, 'pacing');
  if (kind === 'drip') return { kind, everyDays: Number(text(f, 'everyDays')) };
  if (kind === 'cohort') return { kind, startsAt: fromLocalInput(text(f, 'startsAt')) ?? '', enrolmentClosesAt: fromLocalInput(text(f, 'enrolmentClosesAt')) };
  return { kind: 'self_paced' };
}

/** Everything about one course a creator edits: texts, cover, teacher, tags, pacing, group, prices per channel, chapters and lessons. */
export function CourseEditor({ course, onSaved }: { course: EditableCourse; onSaved: () => void }) {
  const { t, lang } = useI18n();
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [pacingKind, setPacingKind] = useState(course.pacing.kind);
  const [chapters, setChapters] = useState<Chapter[]>([]);
  const loadContent = () => api<{ chapters: Chapter[] }>('GET', `/courses/${course.id}/content`).then((o) => setChapters(o.chapters));
  useEffect(() => { void loadContent(); setPacingKind(course.pacing.kind); setIssues({}); setStatus(null); }, [course.id]);

  const run = async (work: Promise<unknown>, form?: HTMLFormElement) => {
    try {
      await work;
      setIssues({});
      setStatus({ ok: true, text: t.saved });
      form?.reset();
    } catch (error) {
      const byPath = issuesByPath(error);
      setIssues(byPath);
      setStatus({ ok: false, text: Object.keys(byPath).length ? t.invalidFields : (error as Error).message });
    }
  };

  const save = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const stars = text(f, 'stars');
    void run(api('PATCH', `/courses/${course.id}`, {
      descriptionZh: text(f, 'descriptionZh'), descriptionEn: text(f, 'descriptionEn'),
      tags: text(f, 'tags').split(/[,，]/).map((s) => s.trim()).filter(Boolean),
      coverUrl: orNull(text(f, 'coverUrl')), teacherName: text(f, 'teacherName'), telegramChatId: orNull(text(f, 'telegramChatId')),
      pacing: pacingOf(f),
      prices: { wechat: { amount: text(f, 'priceWechat'), currency: text(f, 'currencyWechat') }, telegram: stars ? { amount: stars, currency: 'XTR' } : null },
    }).then(onSaved));
  };
  const addChapter = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    void run(api('POST', `/courses/${course.id}/chapters`, { titleZh: text(f, 'titleZh'), titleEn: text(f, 'titleEn') }).then(loadContent), e.currentTarget);
  };
  const addLesson = (chapterId: string) => (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const mediaKind = text(f, 'mediaKind');
    const minutes = text(f, 'estimatedMinutes');
    void run(api('POST', `/courses/${course.id}/chapters/${chapterId}/lessons`, {
      titleZh: text(f, 'titleZh'), titleEn: text(f, 'titleEn'), bodyZh: text(f, 'bodyZh'), bodyEn: text(f, 'bodyEn'),
      media: mediaKind ? { kind: mediaKind, url: text(f, 'mediaUrl') } : null, attachmentRef: orNull(text(f, 'attachmentRef')),
      estimatedMinutes: minutes ? Number(minutes) : null, isFreePreview: f.get('isFreePreview') === 'on',
    }).then(loadContent), e.currentTarget);
  };
  const remove = (path: string) => window.confirm(t.confirmDeleteContent) && void run(api('DELETE', path).then(loadContent));
  const title = (x: { titleZh: string; titleEn: string }) => (lang === 'en' ? x.titleEn : x.titleZh);
  const p = course.pacing;

  return (
    <div className="card" aria-label="course editor">
      <h3>{t.editCourse}: {title(course)}</h3>
      <form key={course.id} onSubmit={save} className="grid">
        <label>{t.descriptionZh}<textarea name="descriptionZh" defaultValue={course.descriptionZh} /></label><FieldError issues={issues} path="descriptionZh" />
        <label>{t.descriptionEn}<textarea name="descriptionEn" defaultValue={course.descriptionEn} /></label><FieldError issues={issues} path="descriptionEn" />
        <label>{t.tags} ({t.tagsHelp})<input name="tags" defaultValue={course.tags.join(', ')} /></label><FieldError issues={issues} path="tags" />
        <label>{t.cover}<input name="coverUrl" type="url" defaultValue={course.coverUrl ?? ''} /></label><FieldError issues={issues} path="coverUrl" />
        <label>{t.teacher}<input name="teacherName" defaultValue={course.teacherName} /></label><FieldError issues={issues} path="teacherName" />
        <label>{t.priceWechat}<input name="priceWechat" inputMode="decimal" defaultValue={course.prices.wechat.amount} /></label>
        <select name="currencyWechat" aria-label="currency" defaultValue={course.prices.wechat.currency}><option value="CNY">{t.currencyCNY}</option><option value="USD">{t.currencyUSD}</option></select>
        <FieldError issues={issues} path="prices.wechat.amount" />
        <label>{t.priceStars} <small>{t.starsHelp}</small><input name="stars" inputMode="numeric" defaultValue={course.prices.telegram?.amount ?? ''} /></label>
        <FieldError issues={issues} path="prices.telegram.amount" />
        <label>{t.pacing}
          <select name="pacing" value={pacingKind} onChange={(e) => setPacingKind(e.target.value as Pacing['kind'])}>
            <option value="self_paced">{t.pacingSelf}</option><option value="drip">{t.pacingDrip}</option><option value="cohort">{t.pacingCohort}</option>
          </select>
        </label>
        {pacingKind === 'drip' && <><label>{t.everyDays}<input name="everyDays" type="number" min="1" defaultValue={p.kind === 'drip' ? p.everyDays : 1} /></label><FieldError issues={issues} path="pacing.everyDays" /></>}
        {pacingKind === 'cohort' && (
          <>
            <label>{t.startsAt}<input name="startsAt" type="datetime-local" defaultValue={toLocalInput(p.kind === 'cohort' ? p.startsAt : null)} /></label><FieldError issues={issues} path="pacing.startsAt" />
            <label>{t.enrolmentClosesAt}<input name="enrolmentClosesAt" type="datetime-local" defaultValue={toLocalInput(p.kind === 'cohort' ? p.enrolmentClosesAt : null)} /></label><FieldError issues={issues} path="pacing.enrolmentClosesAt" />
          </>
        )}
        <label>{t.telegramChat}<input name="telegramChatId" defaultValue={course.telegramChatId ?? ''} /></label><FieldError issues={issues} path="telegramChatId" />
        <button type="submit">{t.save}</button>
      </form>
      {status && <p className={status.ok ? 'ok' : 'error'} role="status">{status.text}</p>}

      <h3>{t.content}</h3>
      {chapters.map((chapter) => (
        <section key={chapter.id} className="card" data-chapter={chapter.titleEn}>
          <h4>{title(chapter)} <small>{fill(t.lessonsCount, { n: String(chapter.lessons.length) })}</small> <button className="secondary" onClick={() => remove(`/courses/${course.id}/chapters/${chapter.id}`)}>{t.remove}</button></h4>
          <ol>
            {chapter.lessons.map((lesson) => (
              <li key={lesson.id}>
                {title(lesson)}{lesson.estimatedMinutes ? ` · ${lesson.estimatedMinutes} ${t.minutes}` : ''}{lesson.isFreePreview ? ` · ${t.freePreview}` : ''}
                {lesson.media ? ` · ${lesson.media.kind === 'video' ? t.mediaVideo : t.mediaLink}` : ''}{' '}
                <button className="secondary" onClick={() => remove(`/courses/${course.id}/lessons/${lesson.id}`)}>{t.remove}</button>
              </li>
            ))}
          </ol>
          <form className="row" onSubmit={addLesson(chapter.id)} aria-label={`add lesson ${chapter.titleEn}`}>
            <label>{t.titleZh}<input name="titleZh" required /></label>
            <label>{t.titleEn}<input name="titleEn" required /></label>
            <label>{t.bodyZh}<textarea name="bodyZh" /></label>
            <label>{t.bodyEn}<textarea name="bodyEn" /></label>
            <label>{t.mediaUrl}<select name="mediaKind" aria-label="media kind"><option value="">{t.mediaNone}</option><option value="link">{t.mediaLink}</option><option value="video">{t.mediaVideo}</option></select><input name="mediaUrl" type="url" /></label>
            <FieldError issues={issues} path="media.url" />
            <label>{t.attachment}<input name="attachmentRef" /></label>
            <label>{t.estimatedMinutes}<input name="estimatedMinutes" type="number" min="1" max="1440" /></label><FieldError issues={issues} path="estimatedMinutes" />
            <label><input name="isFreePreview" type="checkbox" /> {t.freePreview}</label>
            <button type="submit">{t.addLesson}</button>
          </form>
        </section>
      ))}
      <form className="row" onSubmit={addChapter} aria-label="add chapter">
        <label>{t.titleZh}<input name="titleZh" required /></label><FieldError issues={issues} path="titleZh" />
        <label>{t.titleEn}<input name="titleEn" required /></label><FieldError issues={issues} path="titleEn" />
        <button type="submit">{t.addChapter}</button>
      </form>
    </div>
  );
}
