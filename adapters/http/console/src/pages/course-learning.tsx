import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { fill, useI18n } from '../i18n.ts';

interface Step { lessonId: string; number: number; titleZh: string; titleEn: string; learners: number }
interface Stuck { followerId: string; displayName: string | null; completedCount: number; nextLessonNumber: number; lastActivityAt: string | null; idleDays: number }
interface Report { learners: number; completed: number; funnel: Step[]; stuckAfterDays: number; stuckCount: number; stuck: Stuck[] }

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part * 100) / whole));

/** How one course's buyers are learning: learners, a completion funnel by lesson, and who is stuck. */
export function CourseLearning({ courseId }: { courseId: string }) {
  const { t, lang } = useI18n();
  const [stuckDays, setStuckDays] = useState(7);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Report>('GET', `/courses/${courseId}/learning?stuckDays=${stuckDays}`).then(setReport, (e: Error) => setError(e.message));
  }, [courseId, stuckDays]);
  if (error) return <div className="card"><h3>{t.learningReport}</h3><p className="error">{error}</p></div>;
  if (!report) return null;
  return (
    <div className="card" data-testid="course-learning">
      <h3>{t.learningReport}</h3>
      <p>{fill(t.learnersSummary, { learners: String(report.learners), completed: String(report.completed), percent: String(percent(report.completed, report.learners)) })}</p>
      <h4>{t.completionFunnel}</h4>
      <table>
        <thead><tr><th>{t.lesson}</th><th>{t.learnersReached}</th><th>%</th></tr></thead>
        <tbody>
          {report.funnel.map((s) => (
            <tr key={s.lessonId}>
              <td>{fill(t.lessonNumber, { n: String(s.number) })} {lang.startsWith('zh') ? s.titleZh : s.titleEn}</td>
              <td>{s.learners}</td>
              <td><meter min={0} max={100} value={percent(s.learners, report.learners)} /> {percent(s.learners, report.learners)}%</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>{fill(t.stuckLearners, { n: String(report.stuckCount) })}</h4>
      <label>{t.stuckAfterDays}<input type="number" min={1} max={365} value={stuckDays} onChange={(e) => setStuckDays(Math.max(1, Number(e.target.value) || 1))} /></label>
      {report.stuck.length === 0 ? <p>{t.nobodyStuck}</p> : (
        <table>
          <thead><tr><th>{t.learner}</th><th>{t.lessonsDone}</th><th>{t.nextLesson}</th><th>{t.lastLearned}</th><th>{t.idleDays}</th></tr></thead>
          <tbody>
            {report.stuck.map((s) => (
              <tr key={s.followerId}>
                <td title={s.followerId}>{s.displayName ?? s.followerId.slice(0, 8)}</td>
                <td>{s.completedCount}</td>
                <td>{fill(t.lessonNumber, { n: String(s.nextLessonNumber) })}</td>
                <td>{s.lastActivityAt ? new Date(s.lastActivityAt).toLocaleString(lang) : t.neverLearned}</td>
                <td>{s.idleDays}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
