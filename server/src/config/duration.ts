// Durations as operators write them: "250ms", "5s", "5m", "2h", "1d".
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/i.exec(text);
  if (!match) return null;
  return Math.round(Number(match[1]) * UNIT_MS[match[2]!.toLowerCase()]!);
}

export function parseDurationList(text: string): number[] | null {
  const parts = text.split(',').map((part) => part.trim()).filter(Boolean);
  const durations = parts.map(parseDuration);
  return parts.length > 0 && durations.every((d) => d !== null) ? (durations as number[]) : null;
}
