/**
 * The trace's clock: absolute times in UTC (the default), in a fixed offset (`+01:00`, `-0500`), or
 * in an IANA time zone (`Europe/Berlin`, `America/New_York`, daylight saving applied per instant).
 * `--tz local` is the machine's own zone.
 */

export interface TraceClock {
  /** The zone as the trace's header names it: `UTC`, `UTC+01:00`, `Europe/Berlin`. */
  readonly zone: string;
  /** `2014-03-04` and `18:26:26.776878` of an instant (epoch seconds, microsecond precision). */
  parts(epochSeconds: number): { readonly date: string; readonly time: string };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function micros(epochSeconds: number): { whole: number; micro: number } {
  let whole = Math.floor(epochSeconds);
  let micro = Math.round((epochSeconds - whole) * 1e6);
  if (micro >= 1e6) {
    whole += 1;
    micro -= 1e6;
  }
  return { whole, micro };
}

function offsetClock(zone: string, offsetMinutes: number): TraceClock {
  return {
    zone,
    parts(epochSeconds) {
      const { whole, micro } = micros(epochSeconds);
      const d = new Date((whole + offsetMinutes * 60) * 1000);
      return {
        date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
        time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(micro, 6)}`,
      };
    },
  };
}

function ianaClock(zone: string): TraceClock {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return {
    zone,
    parts(epochSeconds) {
      const { whole, micro } = micros(epochSeconds);
      const p: Record<string, string> = {};
      for (const part of format.formatToParts(new Date(whole * 1000))) p[part.type] = part.value;
      return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}.${pad(micro, 6)}` };
    },
  };
}

/** The clock for `--tz`: `UTC` (also `Z`), `local`, `±HH:MM` / `±HHMM` / `±HH`, or an IANA name; null when unknown. */
export function traceClock(tz: string | null | undefined): TraceClock | null {
  const name = (tz ?? 'UTC').trim();
  if (/^(utc|z|gmt)$/i.test(name)) return offsetClock('UTC', 0);
  const m = /^(?:UTC)?([+-])(\d{2})(?::?(\d{2}))?$/i.exec(name);
  if (m !== null) {
    const hours = Number(m[2]);
    const minutes = Number(m[3] ?? '0');
    if (hours > 14 || minutes > 59) return null;
    const sign = m[1] === '-' ? -1 : 1;
    return offsetClock(`UTC${m[1]}${m[2]}:${pad(minutes)}`, sign * (hours * 60 + minutes));
  }
  const zone = /^local$/i.test(name) ? Intl.DateTimeFormat().resolvedOptions().timeZone : name;
  try {
    return ianaClock(new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone);
  } catch {
    return null;
  }
}
