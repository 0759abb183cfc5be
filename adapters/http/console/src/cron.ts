import { CronExpressionParser } from 'cron-parser';
import type { Lang } from './i18n.ts';

/** The next `count` fire times of a cron expression in a time zone, or an error message. */
export function nextRuns(cron: string, timeZone: string, count = 5): { runs: Date[]; error?: string } {
  try {
    const interval = CronExpressionParser.parse(cron, { tz: timeZone });
    return { runs: Array.from({ length: count }, () => interval.next().toDate()) };
  } catch (error) {
    return { runs: [], error: error instanceof Error ? error.message : String(error) };
  }
}

const pad = (n: string) => n.padStart(2, '0');

/** A plain-language reading of the common five-field forms; anything else is read field by field. */
export function describeCron(cron: string, lang: Lang): string {
  const zh = lang === 'zh-CN';
  const parts = cron.trim().split(/\s+/);
  if (parts.length !== 5) return zh ? '需要 5 个字段：分 时 日 月 周' : 'Needs 5 fields: minute hour day month weekday';
  const [min, hour, dom, mon, dow] = parts as [string, string, string, string, string];
  const days = zh ? ['周日', '周一', '周二', '周三', '周四', '周五', '周六'] : ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const isNum = (s: string) => /^\d+$/.test(s);
  if (min === '*' && hour === '*' && dom === '*' && mon === '*' && dow === '*') return zh ? '每分钟' : 'Every minute';
  const everyMin = /^\*\/(\d+)$/.exec(min);
  if (everyMin && hour === '*' && dom === '*' && mon === '*' && dow === '*') return zh ? `每 ${everyMin[1]} 分钟` : `Every ${everyMin[1]} minutes`;
  if (isNum(min) && hour === '*' && dom === '*' && mon === '*' && dow === '*') return zh ? `每小时第 ${min} 分` : `Every hour at minute ${min}`;
  const everyHour = /^\*\/(\d+)$/.exec(hour);
  if (isNum(min) && everyHour && dom === '*' && mon === '*' && dow === '*') return zh ? `每 ${everyHour[1]} 小时，第 ${min} 分` : `Every ${everyHour[1]} hours at minute ${min}`;
  if (isNum(min) && isNum(hour) && mon === '*') {
    const time = `${pad(hour)}:${pad(min)}`;
    if (dom === '*' && dow === '*') return zh ? `每天 ${time}` : `Every day at ${time}`;
    if (dom === '*' && /^[0-6](,[0-6])*$/.test(dow)) {
      const list = dow.split(',').map((d) => days[Number(d)]).join(zh ? '、' : ', ');
      return zh ? `每${list} ${time}` : `Every ${list} at ${time}`;
    }
    if (dom === '*' && dow === '1-5') return zh ? `工作日 ${time}` : `Weekdays at ${time}`;
    if (isNum(dom) && dow === '*') return zh ? `每月 ${dom} 日 ${time}` : `Monthly on day ${dom} at ${time}`;
  }
  return zh ? `分 ${min}，时 ${hour}，日 ${dom}，月 ${mon}，周 ${dow}` : `minute ${min}, hour ${hour}, day ${dom}, month ${mon}, weekday ${dow}`;
}
