import { describe, expect, it } from 'vitest';
import { daySeries } from './dayChart';

describe('the chart of the day', () => {
  it('spans the first to the last busy hour, quiet hours at zero, stacked by type', () => {
    const series = daySeries([
      { hora: 11, agentes: 0, recargas: 2, pagos: 0, movimientos: 0 },
      { hora: 8, agentes: 3, recargas: 0, pagos: 1, movimientos: 1 },
    ]);
    expect(series.hours).toEqual(['08:00', '09:00', '10:00', '11:00']);
    expect(series.counts.agentes).toEqual([3, 0, 0, 0]);
    expect(series.counts.recargas).toEqual([0, 0, 0, 2]);
    expect(series.counts.pagos).toEqual([1, 0, 0, 0]);
    expect(series.totals).toEqual({ agentes: 3, recargas: 2, pagos: 1, movimientos: 1 });
  });

  it('has nothing to draw for a session without operations', () => {
    const series = daySeries([]);
    expect(series.hours).toEqual([]);
    expect(series.totals).toEqual({ agentes: 0, recargas: 0, pagos: 0, movimientos: 0 });
  });
});
