// The chart of the day on the X/Z report: the session's operations by the store's hour,
// stacked by type. Built here as plain data (tested with Vitest); DayChart.svelte draws it
// with Chart.js.
import type { HourActivity } from '../bindings';

export const ACTIVITY_TYPES = ['agentes', 'recargas', 'pagos', 'movimientos'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export interface DaySeries {
  /** "08:00" … one per hour from the first to the last hour with operations. */
  hours: string[];
  /** For each type, how many operations fell in each of `hours`. */
  counts: Record<ActivityType, number[]>;
  /** Operations of each type over the whole session. */
  totals: Record<ActivityType, number>;
}

/** The hours between the first and last with activity (quiet hours in between show as 0). */
export function daySeries(activity: HourActivity[]): DaySeries {
  const counts = { agentes: [], recargas: [], pagos: [], movimientos: [] } as Record<ActivityType, number[]>;
  const totals = { agentes: 0, recargas: 0, pagos: 0, movimientos: 0 } as Record<ActivityType, number>;
  const hours: string[] = [];
  if (activity.length === 0) return { hours, counts, totals };
  const first = Math.min(...activity.map((a) => a.hora));
  const last = Math.max(...activity.map((a) => a.hora));
  for (let hour = first; hour <= last; hour++) {
    hours.push(`${String(hour).padStart(2, '0')}:00`);
    const slot = activity.find((a) => a.hora === hour);
    for (const type of ACTIVITY_TYPES) {
      const n = slot?.[type] ?? 0;
      counts[type].push(n);
      totals[type] += n;
    }
  }
  return { hours, counts, totals };
}
