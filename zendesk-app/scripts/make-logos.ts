// Draws the app's marketplace logos (a check mark over a signature line on a rounded tile) and writes
// them to zendesk-app/static/. Run once after changing the design: `npx tsx zendesk-app/scripts/make-logos.ts`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodePng } from './png';

type Rgb = readonly [number, number, number];
type Point = readonly [number, number];

const TILE: Rgb = [0x17, 0x49, 0x4d];
const CHECK: Rgb = [0xff, 0xff, 0xff];
const SIGNATURE_LINE: Rgb = [0x5e, 0xae, 0x91];
const CHECK_PATH: Point[] = [[0.27, 0.5], [0.43, 0.65], [0.74, 0.32]];
const SAMPLES = 4; // per axis: 16 samples per pixel smooth the edges

export const LOGO_SIZES = { 'logo.png': 320, 'logo-small.png': 128 } as const;

export function drawLogo(size: number): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) rgba.set(shadePixel(x, y, size), (y * size + x) * 4);
  }
  return encodePng(size, size, rgba);
}

function shadePixel(px: number, py: number, size: number): [number, number, number, number] {
  let tile = 0;
  let check = 0;
  let line = 0;
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      const x = (px + (sx + 0.5) / SAMPLES) / size;
      const y = (py + (sy + 0.5) / SAMPLES) / size;
      if (!insideRoundedSquare(x, y, 0.04, 0.2)) continue;
      tile++;
      if (nearPolyline(x, y, CHECK_PATH, 0.075)) check++;
      else if (nearPolyline(x, y, [[0.24, 0.8], [0.76, 0.8]], 0.028)) line++;
    }
  }
  const total = SAMPLES * SAMPLES;
  const colour = mix([[TILE, tile - check - line], [CHECK, check], [SIGNATURE_LINE, line]]);
  return [...colour, Math.round((255 * tile) / total)];
}

function mix(parts: Array<[Rgb, number]>): Rgb {
  const weight = parts.reduce((sum, [, w]) => sum + w, 0);
  if (weight === 0) return [0, 0, 0];
  const channel = (i: 0 | 1 | 2) => Math.round(parts.reduce((sum, [rgb, w]) => sum + rgb[i] * w, 0) / weight);
  return [channel(0), channel(1), channel(2)];
}

function insideRoundedSquare(x: number, y: number, inset: number, radius: number): boolean {
  const lo = inset + radius;
  const hi = 1 - inset - radius;
  const dx = Math.max(lo - x, 0, x - hi);
  const dy = Math.max(lo - y, 0, y - hi);
  return dx * dx + dy * dy <= radius * radius;
}

function nearPolyline(x: number, y: number, points: Point[], halfWidth: number): boolean {
  for (let i = 1; i < points.length; i++) {
    if (distanceToSegment(x, y, points[i - 1]!, points[i]!) <= halfWidth) return true;
  }
  return false;
}

function distanceToSegment(x: number, y: number, [ax, ay]: Point, [bx, by]: Point): number {
  const length2 = (bx - ax) ** 2 + (by - ay) ** 2;
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / length2));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, size] of Object.entries(LOGO_SIZES)) {
    const target = new URL(`../static/${name}`, import.meta.url);
    writeFileSync(target, drawLogo(size));
    console.log(`wrote ${fileURLToPath(target)} (${size}×${size})`);
  }
}
