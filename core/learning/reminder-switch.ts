/**
 * Whether a chat message turns lesson reminders off (false) or back on (true): `不要提醒`,
 * `关闭提醒`, `别提醒我了`, `stop reminders`, `no reminders`; `开启提醒`, `打开提醒`,
 * `resume reminders`, `turn on reminders`. Null for anything else.
 *
 * @example
 * parseReminderSwitch('不要提醒'); // false
 * parseReminderSwitch('resume reminders'); // true
 */
export function parseReminderSwitch(text: string): boolean | null {
  const t = text.trim().toLowerCase().replace(/[!！。.\s]+$/u, '');
  if (/^(?:不要|别|不用|关闭|关掉|停止)(?:再)?提醒(?:我)?(?:了)?$/u.test(t)) return false;
  if (/^(?:stop|no|turn off|disable|mute)\s+(?:lesson\s+|learning\s+)?reminders?$/.test(t)) return false;
  if (/^(?:开启|打开|恢复|继续)(?:学习)?提醒$/u.test(t)) return true;
  if (/^(?:resume|turn on|enable|start)\s+(?:lesson\s+|learning\s+)?reminders?$/.test(t)) return true;
  return null;
}
