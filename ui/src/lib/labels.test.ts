import { describe, expect, it } from 'vitest';
import { dateTime, localDate, storeToday, timeOnly } from './labels';

describe('dates and times in La Paz, through Intl', () => {
  it('shows a UTC instant on the store clock', () => {
    expect(dateTime('2026-11-21T18:05:09Z')).toBe('21/11/2026 14:05');
    expect(dateTime('2026-11-21T18:05:09Z', true)).toBe('21/11/2026 14:05:09');
    expect(timeOnly('2026-11-21T18:05:09Z')).toBe('14:05');
  });

  it('puts an instant after midnight UTC on the previous store day', () => {
    expect(dateTime('2026-01-01T02:30:00Z')).toBe('31/12/2025 22:30');
    expect(storeToday(Date.parse('2026-01-01T03:59:59Z'))).toBe('2025-12-31');
    expect(storeToday(Date.parse('2026-01-01T04:00:00Z'))).toBe('2026-01-01');
  });

  it('leaves what is not an instant as it came', () => {
    expect(dateTime(null)).toBe('—');
    expect(dateTime('ayer')).toBe('ayer');
    expect(localDate('2026-11-21')).toBe('21/11/2026');
  });
});
