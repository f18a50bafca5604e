// Dates and times as SQLite apps store them (ISO text with 'T' or a space, optional fraction and
// offset; or unix epoch numbers) normalised to one exact text that Postgres parses unambiguously and
// that the checksum's canonical form reproduces: 'YYYY-MM-DDTHH:MM:SS.ffffff' (+'Z' for timestamptz).

export class TemporalError extends Error {}

const DATETIME = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?\s*$/i;
const TIME = /^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*$/;
const MICROS_PER_DAY = 86_400_000_000n;
/** Epoch values at or above this many seconds (year 5138) are taken as milliseconds. */
const MILLISECOND_EPOCH_THRESHOLD = 1e11;

function pad(value: number | bigint, width: number): string {
  return String(value).padStart(width, '0');
}

function daysFromCivil(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.floor(date.getTime() / 86_400_000);
}

function fractionMicros(fraction: string | undefined): number {
  if (!fraction) return 0;
  // Postgres keeps microseconds; more digits are rounded (half up) like its input routine.
  const padded = (fraction + '000000').slice(0, 7);
  return Math.round(Number(padded) / 10);
}

// A UTC designator ('Z', '+00:00') changes nothing, so it takes the fast path too (ISO text from JS apps).
const LOCAL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(?:Z|\+00(?::?00)?)?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Fast path for the common cases (what SQLite's datetime() and JS's toISOString() write): no offset
 * other than UTC and at most six fraction digits need no epoch arithmetic, only validation and
 * re-assembly. Null = use the slow path.
 */
export function normalizeLocalDateTime(text: string, dateOnly: boolean): string | null {
  if (!dateOnly) {
    const iso = isoDateTime(text);
    if (iso !== null) return iso;
  }
  const m = LOCAL_DATETIME.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1] + (leap ? 1 : 0)) return null;
  const hour = m[4] ?? '00';
  const minute = m[5] ?? '00';
  const second = m[6] ?? '00';
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null;
  const fraction = (m[7] ?? '').padEnd(6, '0');
  if (dateOnly) return hour === '00' && minute === '00' && second === '00' && Number(fraction) === 0 ? `${m[1]}-${m[2]}-${m[3]}` : null;
  return `${m[1]}-${m[2]}-${m[3]}T${hour}:${minute}:${second}.${fraction}`;
}

/** Value of the two digits at `at`, or -1. */
function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The most common shape, 'YYYY-MM-DD[T ]HH:MM:SS[.f{1,6}][Z]' (SQLite's datetime(), JS's
 * toISOString()), checked by character codes instead of a regular expression: it is on every row
 * of most tables. Same result as the LOCAL_DATETIME path; null = not this shape (or out of range).
 */
function isoDateTime(text: string): string | null {
  let end = text.length;
  if (end > 0 && text.charCodeAt(end - 1) === 90 /* Z */) end--;
  if (end < 19 || end > 26 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return null;
  const separator = text.charCodeAt(10);
  if (separator !== 84 && separator !== 32) return null;
  const century = twoDigits(text, 0);
  const yy = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  if (century < 0 || yy < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  const year = century * 100 + yy;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1] + (leap ? 1 : 0)) return null;
  let fraction = '000000';
  if (end > 19) {
    if (end === 20 || text.charCodeAt(19) !== 46 /* . */) return null;
    for (let i = 20; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return null;
    }
    fraction = text.slice(20, end).padEnd(6, '0');
  }
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${fraction}`;
}

/** Parses ISO-like text into epoch microseconds (UTC; a given offset is applied). */
export function parseDateTime(text: string): { micros: bigint; hasTime: boolean } {
  const m = DATETIME.exec(text);
  if (!m) throw new TemporalError('not a date/time (expected YYYY-MM-DD[ HH:MM[:SS[.ffffff]]][Z|±HH:MM] or a unix epoch number)');
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59 || year < 1) {
    throw new TemporalError('date/time field out of range');
  }
  const days = daysFromCivil(year, month, day);
  if (new Date(days * 86_400_000).getUTCDate() !== day) throw new TemporalError('date/time field out of range (no such day in that month)');
  let offsetMinutes = 0;
  const zone = m[8]?.toUpperCase();
  if (zone && zone !== 'Z' && zone !== 'UTC') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
  }
  const seconds = hour * 3600 + minute * 60 + second - offsetMinutes * 60;
  const micros = BigInt(days) * MICROS_PER_DAY + BigInt(seconds) * 1_000_000n + BigInt(fractionMicros(m[7]));
  return { micros, hasTime: m[4] !== undefined };
}

/** Unix epoch seconds (or milliseconds, when implausibly large for seconds) → epoch microseconds. */
export function epochToMicros(value: number | bigint): bigint {
  if (typeof value === 'bigint') {
    const abs = value < 0n ? -value : value;
    return abs >= BigInt(MILLISECOND_EPOCH_THRESHOLD) ? value * 1000n : value * 1_000_000n;
  }
  if (!Number.isFinite(value)) throw new TemporalError('not a finite epoch number');
  const millis = Math.abs(value) >= MILLISECOND_EPOCH_THRESHOLD;
  return BigInt(Math.round(value * (millis ? 1000 : 1_000_000)));
}

function splitMicros(micros: bigint): { days: number; dayMicros: bigint } {
  let days = micros / MICROS_PER_DAY;
  let dayMicros = micros % MICROS_PER_DAY;
  if (dayMicros < 0n) {
    dayMicros += MICROS_PER_DAY;
    days -= 1n;
  }
  return { days: Number(days), dayMicros };
}

function formatDate(days: number): string {
  const date = new Date(days * 86_400_000);
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) throw new TemporalError(`year ${year} is outside 1..9999`);
  return `${pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

/** 'YYYY-MM-DDTHH:MM:SS.ffffff' (what to_char(x, 'YYYY-MM-DD"T"HH24:MI:SS.US') prints). */
export function formatTimestamp(micros: bigint): string {
  const { days, dayMicros } = splitMicros(micros);
  const seconds = Number(dayMicros / 1_000_000n);
  const fraction = Number(dayMicros % 1_000_000n);
  return `${formatDate(days)}T${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}.${pad(fraction, 6)}`;
}

/** Date part only; refuses values with a time of day (that would silently drop data). */
export function formatDateOnly(micros: bigint): string {
  const { days, dayMicros } = splitMicros(micros);
  if (dayMicros !== 0n) throw new TemporalError('has a time of day, which a date column would drop');
  return formatDate(days);
}

/** 'HH:MM:SS[.ffffff without trailing zeros]' — what Postgres prints for time. */
export function normalizeTime(text: string): string {
  const m = TIME.exec(text);
  if (!m) throw new TemporalError('not a time of day (expected HH:MM[:SS[.ffffff]])');
  const [hour, minute, second] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (hour > 24 || minute > 59 || second > 59 || (hour === 24 && (minute > 0 || second > 0 || Number(m[4] ?? 0) > 0))) {
    throw new TemporalError('time field out of range');
  }
  const micros = fractionMicros(m[4]);
  const fraction = micros ? `.${pad(micros, 6).replace(/0+$/, '')}` : '';
  return `${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${fraction}`;
}
