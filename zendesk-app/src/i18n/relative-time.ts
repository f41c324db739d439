// "5 minutes ago", "in 3 hours", in the agent's locale (Intl does the wording and the plurals).
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

export function createRelativeTimeFormatter(locale: string): (iso: string, now: number) => string {
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  return (iso, now) => {
    const at = Date.parse(iso);
    if (Number.isNaN(at)) return iso;
    const diff = at - now;
    for (const [unit, ms] of UNITS) {
      if (Math.abs(diff) >= ms) return format.format(Math.trunc(diff / ms), unit);
    }
    return format.format(0, 'minute'); // "this minute" / "in dieser Minute"
  };
}
