// Exact decimal arithmetic on text, the way Postgres' numeric type does it: no float ever touches a
// NUMERIC value on its way from SQLite text to the target, so 0.1 stays 0.1 and 12345678901234567890
// keeps every digit. Used by the numeric/integer cast rules and by the jsonb canonical form.

export interface Decimal {
  negative: boolean;
  /** Significant digits, no leading zeros ('' for zero). */
  digits: string;
  /** value = digits × 10^-scale (scale may be negative). */
  scale: number;
}

const DECIMAL = /^\s*([+-])?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?\s*$/;

/** Parses '12', '-1.50', '.5', '1e3', ' 7 '; null for anything else (including NaN/Infinity). */
export function parseDecimal(text: string): Decimal | null {
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const intPart = match[2] ?? '';
  const fracPart = match[3] ?? match[4] ?? '';
  const exponent = match[5] ? Number(match[5]) : 0;
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 100000) return null;
  const digits = (intPart + fracPart).replace(/^0+/, '');
  return { negative: match[1] === '-' && digits !== '', digits, scale: fracPart.length - exponent };
}

/** Postgres' display scale for a numeric typed as this literal: '1.50' → 2, '1e3' → 0, '1e-2' → 2. */
export function inputScale(decimal: Decimal, literal: string): number {
  const match = DECIMAL.exec(literal)!;
  const fraction = (match[3] ?? match[4] ?? '').length;
  const exponent = match[5] ? Number(match[5]) : 0;
  return Math.max(0, fraction - exponent);
}

/** Rounds half away from zero (as numeric does) to `scale` fractional digits. */
export function roundDecimal(decimal: Decimal, scale: number): Decimal {
  if (decimal.scale <= scale) return decimal;
  const drop = decimal.scale - scale;
  let digits = decimal.digits;
  if (drop > digits.length) return { negative: false, digits: '', scale };
  const kept = digits.slice(0, digits.length - drop);
  const roundUp = digits[digits.length - drop] >= '5';
  digits = roundUp ? (BigInt(kept || '0') + 1n).toString() : kept;
  digits = digits.replace(/^0+/, '');
  return { negative: decimal.negative && digits !== '', digits, scale };
}

/** Text with exactly `scale` fractional digits (scale ≥ 0), as numeric_out prints it. */
export function formatDecimal(decimal: Decimal, scale: number): string {
  const rounded = roundDecimal(decimal, scale);
  let digits = rounded.digits || '0';
  if (rounded.scale < scale) digits += '0'.repeat(scale - rounded.scale);
  else if (rounded.digits === '') digits = '0'.repeat(scale + 1);
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  const intPart = digits.slice(0, digits.length - scale).replace(/^0+(?=\d)/, '');
  const text = scale > 0 ? `${intPart}.${digits.slice(digits.length - scale)}` : intPart;
  return rounded.negative && /[1-9]/.test(text) ? `-${text}` : text;
}

/** The shortest exact text (trailing fractional zeros removed): Postgres' trim_scale(x)::text. */
export function trimmedDecimal(decimal: Decimal): string {
  let { digits, scale } = decimal;
  while (scale > 0 && digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    scale--;
  }
  return formatDecimal({ negative: decimal.negative, digits, scale }, Math.max(0, scale));
}

/** Number of digits before the decimal point (0 for |x| < 1). */
export function integerDigits(decimal: Decimal): number {
  return Math.max(0, decimal.digits.length - decimal.scale);
}

/** The value as a BigInt when it is a whole number, else null. */
export function wholeNumber(decimal: Decimal): bigint | null {
  if (decimal.digits === '') return 0n;
  if (decimal.scale > 0) {
    const fraction = decimal.digits.slice(Math.max(0, decimal.digits.length - decimal.scale));
    if (/[1-9]/.test(fraction)) return null;
    const intDigits = decimal.digits.slice(0, Math.max(0, decimal.digits.length - decimal.scale));
    const value = BigInt(intDigits || '0');
    return decimal.negative ? -value : value;
  }
  if (-decimal.scale > 400) return null;
  const value = BigInt(decimal.digits + '0'.repeat(-decimal.scale));
  return decimal.negative ? -value : value;
}
